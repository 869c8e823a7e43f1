app-name = Kaiku
app-tagline = Culture for All card
skip-to-content = Skip to content
nav-start = Kaiku, back to start
language = Language
text-size = Text size
text-smaller = Smaller text
text-larger = Larger text
text-size-now = Text size { $percent } %

start-question = What do you want to do?
start-holder = My card
start-holder-hint = Show your Culture for All card at the door
start-scanner = Scan cards
start-scanner-hint = For venue staff and volunteers

activate-title = Activate your card
activate-intro = Type the activation code you got from the service that gave you the card.
activate-code = Activation code
activate-code-hint = For example 7K2M-QX4P-9RTB
activate-name = Your name (optional)
activate-name-hint = Your name is shown on this phone only. It is never sent anywhere.
activate-advanced = Server settings
activate-server = Server address
activate-submit = Activate card
activate-working = Activating…
error-code-empty = Type the activation code first.
error-code-unknown = No such activation code. Check the code and try again.
error-code-gone = This code has been used already or has expired. Ask for a new code where you got your card.
error-network = No network connection. Try again when you are online.
error-server = Something went wrong on the server ({ $status }). Try again later.
error-storage = The card could not be saved on this device: { $reason }

card-title = Culture for All card
card-none = There is no card on this device yet.
card-activate = Activate a card
card-qr-label = QR code of card { $id } for the door scanner
card-barcode-label = Barcode of card number { $id }
card-number = Card number
card-holder = Holder
card-kind-personal = Personal card
card-kind-community = Community card: { $organisation }
card-kind-community-plain = Community card
card-valid-until = Valid until { $date }
card-children = { $count ->
    [0] No children's tickets on record
    [one] Tickets for one child on record
   *[other] Tickets for { $count } children on record
}
card-live = Live card, time now { $time }
card-expires-soon = { $days ->
    [one] Your card expires tomorrow. Renew it where you got your card.
   *[other] Your card expires in { $days } days. Renew it where you got your card.
}
card-expires-today = Your card expires today. Renew it where you got your card.
card-expired = Your card expired on { $date }. It can be renewed where you got your card.
card-revoked = This card was cancelled on { $date }. Ask for a new card where you got it.
card-remove = Remove the card from this device
card-remove-confirm = Remove it? You need a new activation code to add it again.
status-checked = Status checked { $when }
status-never = Status not checked yet
status-refresh = Check status now
status-refreshing = Checking…
status-offline = No network: showing the card saved on this device
when-just-now = just now
when-minutes = { $n } min ago
when-hours = { $n } h ago
when-days = { $n ->
    [one] a day ago
   *[other] { $n } days ago
}

scanner-title = Scan cards
scanner-not-yet = The scanner is not available in this version yet.
