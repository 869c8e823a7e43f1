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
activate-camera = Read the QR code with the camera
read-activation-title = Read the activation code
read-activation-intro = Hold the QR code you were shown in front of the camera. The activation screen then opens with the code filled in.
read-activation-camera-label = Camera view for reading the activation code
read-activation-on = Camera on: hold the activation code's QR code in front of the camera.
read-activation-card = This is a card's own code, not an activation code. Show the activation code's QR code.
read-activation-other = This QR code is not an activation code. Show the activation code's QR code.
read-activation-none = No camera on this device: type the activation code instead.
read-activation-denied = The camera may not be used. Allow it in the browser or phone settings, or type the code instead.
read-activation-failed = The camera does not work ({ $error }). Type the activation code instead.
read-activation-type = Type the code instead
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
status-not-in-register = This card is no longer in the card register, so venues may not accept it. The card stays on this phone. Contact the place where you got your card: they can tell you why and what to do.
when-just-now = just now
when-minutes = { $n } min ago
when-hours = { $n } h ago
when-days = { $n ->
    [one] a day ago
   *[other] { $n } days ago
}

scanner-title = Scan cards

## Scanner mode: venue staff at the door
scan-opening = Opening the scanner…
scan-store-problem = The scanner's storage on this device cannot be opened ({ $error }). Nothing can be recorded. Close the app and open it again; if this goes on, free some space on the device.
scan-store-retry = Try again
scan-nav-label = Scanner
scan-tab-door = Door
scan-tab-history = Today
scan-tab-device = Device
scan-venue = Venue: { $venue }
scan-welcome = This device now scans cards for { $venue }.
scan-not-enrolled = This device is not enrolled as a scanner.

scan-enroll-title = Make this device a scanner
scan-enroll-intro = A venue user creates a one-time enrollment code in the register. Type it here or scan its QR code.
scan-enroll-was = This device scanned for { $venue } before. Its log is kept.
scan-enroll-code = Enrollment code
scan-enroll-code-hint = 12 characters, for example 7K2M-QX4P-9RTB. Spaces and dashes do not matter.
scan-enroll-label = Name of this device
scan-enroll-label-hint = So that the venue can tell its devices apart, for example Main door.
scan-enroll-label-default = Door scanner
scan-enroll-submit = Enroll this device
scan-enroll-working = Enrolling…
scan-enroll-empty = Type the enrollment code first.
scan-enroll-bad-char = “{ $found }” is not used in enrollment codes. Check the code.
scan-enroll-length = An enrollment code has 12 characters; this has { $n }.
scan-enroll-unknown = No such enrollment code. Check it and type it again.
scan-enroll-gone = This code has been used already or has expired. Ask the venue user for a new code.
scan-enroll-refused = The server refused the enrollment ({ $status }): { $message }
scan-enroll-first-pull = Enrolled, but the register data could not be downloaded yet. Cards are let in unverified until the device syncs.
scan-enroll-already = This device is already a scanner of { $venue }.
scan-enroll-store = The enrollment could not be saved on this device: { $error }
scan-enroll-scan = Scan the code
scan-enroll-scan-cancel = Stop the camera
scan-enroll-camera-label = Camera view for reading the enrollment code
scan-enroll-camera-on = Camera on: hold the enrollment code's QR code from the register in front of the camera.
scan-enroll-qr-read = Code read from the QR code: check it and press “Enroll this device”.
scan-enroll-qr-card = This is a Culture for All card's code, not an enrollment code. Show the enrollment code's QR code from the register.
scan-enroll-qr-other = This QR code is not an enrollment code. Show the enrollment code's QR code from the register.
scan-enroll-camera-none = No camera on this device: type the code in the Enrollment code field.
scan-enroll-camera-denied = The camera may not be used. Allow it in the browser or device settings, or type the code in the Enrollment code field.
scan-enroll-camera-busy = The camera is in use by another app. Close it, or type the code in the Enrollment code field.
scan-enroll-camera-failed = The camera does not work ({ $error }). Type the code in the Enrollment code field.

scan-offer = Event or course
scan-offer-ticket = Ticket
scan-offer-course = Course place
scan-offer-used = { $used } of { $limit } free places used today

scan-camera-label = Camera view for reading card codes
scan-camera-starting = Starting the camera…
scan-camera-on = Camera on: hold the card's code in front of the camera.
scan-camera-none = No camera on this device: type the card number below.
scan-camera-denied = The camera may not be used. Allow it in the browser or device settings, or type the card number below.
scan-camera-busy = The camera is in use by another app. Close it, or type the card number below.
scan-camera-failed = The camera does not work ({ $error }). Type the card number below.
scan-camera-retry = Try the camera again
scan-torch-on = Light on
scan-torch-off = Light off
scan-switch-camera = Switch camera (front / back)

scan-manual-label = Type the card number
scan-manual-check = Check
scan-manual-add = Add
scan-manual-empty = A letter and nine digits, for example A000 1000 09.
scan-manual-keep-typing = Keep typing: { $typed } of 10 characters.
scan-manual-complete = Complete, valid card number.
scan-manual-printed-or-more = A printed card's number, or keep typing: { $typed } of 10.
scan-manual-printed = Printed card number: looked up in the register.
scan-manual-not-kaiku = Not a Kaiku number (check digit): looked up as a printed card.
scan-manual-bad-letter = A card number starts with a letter, not “{ $found }”.
scan-manual-not-digit = Character { $position } should be a digit, not “{ $found }”.
scan-manual-too-long = Too long for a card number ({ $typed } characters).
scan-manual-credential = A mobile card code: press Check.

scan-verdict-admit = Valid: let in
scan-verdict-flagged = Let in: not verified
scan-verdict-refuse = Not valid: no free entry
scan-verdict-card = Card { $id }
scan-why-signed = Checked from the signed mobile card.
scan-why-register = Checked against the register data of { $date }.
scan-why-no-copy = This device has no register data yet, so the card cannot be checked offline. It is checked when the device syncs.
scan-why-not-in-copy = The card is not in this device's register data (of { $date }). It is checked when the device syncs.
scan-why-stale = The register data on this device is old (of { $date }). The card is checked when the device syncs.
scan-why-expired = Expired on { $date }. The card can be renewed where it was given.
scan-why-revoked = Cancelled on { $date }: { $reason }.
scan-revoked-lost = reported lost
scan-revoked-stolen = reported stolen
scan-revoked-misuse = misuse
scan-revoked-replaced = replaced by a new card
scan-why-not-registered = This card is not registered, so it cannot be used yet.
scan-why-not-registered-printed = Not registered: ask the holder to contact the place that gave the card.
scan-why-did-you-mean = Did you mean { $id }? Check the number on the card.
scan-check-suggested = Check { $id } instead
scan-why-community-course = A community card is not for course places.
scan-why-empty = Nothing was read.
scan-why-not-a-card = This is not a Culture for All card code.
scan-why-bad-check = Looks like a card number, but the check digit does not match. Look at the card again.
scan-why-bad-form = Looks like a card number, but it is not well formed (letters, then digits, as on the card).
scan-why-unknown-key = The mobile card is signed with a key this device does not know: it may be forged. Sync the device and scan again.
scan-why-bad-signature = The signature of the mobile card does not match: the code was changed or forged.
scan-why-new-version = The mobile card comes from a newer app version. Update this app.
scan-why-damaged = The mobile card's code is damaged or incomplete. Ask the holder to open the card again, or type the card number.
scan-decide-failed = The register data on this device cannot be read: { $error }
scan-hold-note = Record this card or press Next person before scanning the next card.
scan-next = Next person

scan-record-one-ticket = Record 1 ticket
scan-record-course = Record 1 course place
scan-record-tickets = Record { $count } tickets
scan-recording = Recording…
scan-recorded = Recorded: { $summary }
scan-record-failed = Not recorded: { $reason } Nothing was lost; fix it and try again.
scan-adults = { $n ->
    [one] 1 adult
   *[other] { $n } adults
}
scan-children = { $n ->
    [one] 1 child
   *[other] { $n } children
}
scan-children-label = Children's tickets
scan-children-less = One child fewer
scan-children-more = One child more
scan-children-max = At most { $max }: the children on record.
scan-children-course = No children's tickets with a course place.
scan-children-unverified = Not verified: the children on record are not known here. The server checks the number.
scan-group-title = Group members, each with their own card
scan-group-needed = A community card needs at least one group member with their own card.
scan-group-unverified-hint = Only for a community card: add each member's own card.
scan-add-member = Add group member
scan-member-scan = Scan the member's own card or type its number.
scan-member-done = Done adding
scan-member-remove = Remove { $id }
scan-member-added = Added { $id }.
scan-member-community = { $id } is a community card: each member needs their own personal card.
scan-member-twice = { $id } is already in the group.
scan-member-self = { $id } is the community card itself.
scan-member-full = The group is full ({ $max } members).
scan-member-refused = { $id } not accepted: { $reason }
scan-rule-group-personal = A personal card has no group members: scan each member's own card.
scan-rule-too-many-children = { $asked } children's tickets, but the card has { $max } children on record.
scan-store-failed = the device storage failed ({ $error }).

scan-status-label = Sync status
scan-pending = { $n ->
    [0] All redemptions sent
    [one] 1 redemption waiting to be sent
   *[other] { $n } redemptions waiting to be sent
}
scan-register-age = Register data updated { $when }
scan-register-never = Register data never downloaded
scan-sync-never = Not synced yet
scan-sync-ok = { $sent ->
    [0] Synced at { $time }
   *[other] Synced at { $time }: { $sent } sent
}
scan-sync-failed = Sync failed at { $time }: { $reason }
scan-sync-network = no network. Recording goes on; everything is sent later.
scan-sync-timeout = the server did not answer in time.
scan-sync-unauthorised = the server no longer accepts this device. Enroll it again.
scan-sync-refused = the server refused ({ $status }): { $message }
scan-sync-server = server error ({ $status }).
scan-sync-now = Sync now
scan-syncing = Syncing…
scan-attention = { $n ->
    [one] 1 redemption needs attention
   *[other] { $n } redemptions need attention
}
scan-attention-hint = The server refused these. They stay on this device. Tell the venue's contact person.

scan-history-title = Today's redemptions
scan-history-none = Nothing recorded today yet.
scan-history-counts = Per event or course
scan-history-count = { $count ->
    [one] 1 redemption
   *[other] { $count } redemptions
}, { $people ->
    [one] 1 person
   *[other] { $people } people
}
scan-history-list = Every redemption, newest first
scan-history-group = Group: { $ids }
scan-history-unverified = Let in unverified at the door.
scan-state-pending = Waiting to be sent
scan-state-sent = Sent
scan-state-rejected = Refused by the server: { $reason }

scan-device-title = This scanner device
scan-device-id = Device number { $id }
scan-device-server = Server: { $server }
scan-unenroll = Stop using this device as a scanner
scan-unenroll-hint = The device forgets its key to the server. The log of redemptions stays on the device.
scan-unenroll-unsynced = { $n ->
    [one] 1 redemption has not been sent yet. Sync first. If you stop now, it stays on this device but cannot be sent until the device is enrolled again.
   *[other] { $n } redemptions have not been sent yet. Sync first. If you stop now, they stay on this device but cannot be sent until the device is enrolled again.
}
scan-unenroll-keep = Stop anyway and keep them on this device
scan-unenroll-done = This device is no longer a scanner. Its log is kept.
scan-unenroll-failed = Could not stop: { $error }

## Staff console (app/views/staff/)
start-staff = Staff sign-in
start-staff-hint = For card distributors, venues, coordinators and administrators
staff-console = Staff console
staff-loading = Opening the staff console…
staff-sign-in-title = Staff sign-in
staff-username = Username
staff-password = Password
staff-username-empty = Type your username.
staff-password-empty = Type your password.
staff-sign-in = Sign in
staff-signing-in = Signing in…
staff-have-invitation = I have an invitation code
staff-have-password = I already have a password: sign in
staff-not-kept = You are signed in, but this device could not keep the session: { $reason }
staff-wait-seconds = { $n ->
    [one] 1 second
   *[other] { $n } seconds
}
staff-wait-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
staff-error-wrong-credentials = The username or password is wrong. Passwords are case-sensitive.
staff-error-locked = This account is locked after too many wrong passwords. Try again in { $wait }.
staff-error-slow-down = Too many failed sign-ins. Wait { $wait } before trying again.
staff-session-ended = Your session has ended. Sign in again.
staff-error-invitation-used = This invitation has been used already. Ask whoever invited you for a new one.
staff-error-invitation-expired = This invitation has expired or was replaced. Ask whoever invited you for a new one.
staff-error-invitation-unknown = No such invitation code. Check the code and type it again.
staff-error-username-taken = Someone already has this username. Choose another one.
staff-error-forbidden = Your role does not allow this.
staff-error-refused = The server refused: { $message }
staff-signed-out = You have signed out.
staff-signed-out-offline = You have signed out on this device. The server could not be reached, so the session ends there when it expires.
staff-invitation-title = Accept an invitation
staff-invitation-intro = Type the code you were given, then choose your username and password.
staff-invitation-code = Invitation code
staff-invitation-code-empty = Type the invitation code.
staff-username-hint = 3–100 letters, digits or . _ - @ +. An e-mail address will do.
staff-username-length = A username has 3–100 characters.
staff-username-chars = A username may have only letters, digits and . _ - @ +
staff-new-password = New password
staff-new-password-hint = At least { $min } characters. A few words in a row are easy to remember.
staff-new-password-again = New password again
staff-password-short = The password is too short: at least { $min } characters.
staff-password-long = The password is too long: at most { $max } characters.
staff-password-is-username = The password cannot be your username.
staff-password-mismatch = The two passwords are not the same.
staff-invitation-submit = Set password and sign in
staff-role-admin = Administrator
staff-role-coordinator = Region coordinator
staff-role-distributor = Card distributor
staff-role-venue = Venue
staff-signed-in-as = Signed in as
staff-role = Role
staff-session-until = Session ends
staff-session-at = { $date } at { $time } at the latest
staff-tasks = Tasks
staff-hand-out = Hand out a card
staff-invite = Invite a user
staff-sign-out = Sign out
staff-card-kind = Kind of card
staff-kind-personal = Personal card
staff-kind-community = Community card
staff-background-intro = Background data for the statistics. Never the holder's name.
staff-community-intro = A community card belongs to an organisation. No background data is recorded.
staff-birth-year = Year of birth
staff-birth-year-hint = Four digits, for example 1980
staff-birth-year-empty = Type the year of birth.
staff-birth-year-bad = A year of birth is four digits, for example 1980.
staff-birth-year-range = The year of birth must be between 1900 and { $latest }: a holder is at least 16.
staff-gender = Gender
staff-gender-not_said = Not said
staff-gender-female = Woman
staff-gender-male = Man
staff-gender-other = Other
staff-mother-tongue = Mother tongue
staff-tongue-not_said = Not said
staff-tongue-finnish = Finnish
staff-tongue-swedish = Swedish
staff-tongue-sami = Sámi
staff-tongue-russian = Russian
staff-tongue-estonian = Estonian
staff-tongue-arabic = Arabic
staff-tongue-somali = Somali
staff-tongue-english = English
staff-tongue-other = Other
staff-life-situations = Life situation (any that apply)
staff-situation-single_parent = Single parent
staff-situation-unemployed = Unemployed
staff-situation-student = Student
staff-situation-pensioner = Pensioner
staff-situation-long_term_ill = Long-term ill
staff-situation-in_debt = In debt
staff-situation-disabled = Disabled
staff-situation-immigrant = Immigrant
staff-situation-other = Other
staff-postal-code = Postal code
staff-postal-code-hint = Five digits, for example 96100
staff-postal-code-bad = A postal code is five digits, for example 96100.
staff-children = Minor children
staff-grandchildren = Minor grandchildren
staff-minors-hint = They get their own tickets with the card.
staff-minors-bad = Type a number from 0 to { $max }.
staff-minors-total = Children and grandchildren together can be at most { $max }.
staff-check-fields = Check the fields marked above. Nothing was sent.
staff-saving = Saving…
staff-hand-out-submit = Register the card
staff-card-ready = The card is registered
staff-card-number = Card number
staff-valid-until = Valid until { $date }
staff-minors-on-record = { $n ->
    [0] No children on record
    [one] 1 child on record
   *[other] { $n } children on record
}
staff-print = Print
staff-to-phone = Put it on the phone
staff-activation-title = Activation code
staff-activation-intro = On the holder's phone: "My card", then read this QR code or type the code.
staff-activation-qr = QR code of the activation code { $code }
staff-code-expires = The code works until { $date }, once.
staff-hand-out-another = Hand out another card
staff-print-title = Print the card
staff-print-hint = The card prints at its true size, 85.6 × 54 mm. Choose "Save as PDF" in the print dialogue for a file.
staff-print-now = Print
staff-back-to-card = Back to the card
staff-print-bad-id = This is not a card number: { $error }
staff-scope-distributor = Distributor
staff-scope-venue = Venue
staff-scope-coordinator = Region
staff-scope-admin = Scope
staff-scope-none = Choose…
staff-scope-choose-distributor = Choose the distributor.
staff-scope-choose-venue = Choose the venue.
staff-scope-choose-coordinator = Choose the region.
staff-scope-unknown = There is no such organisation any more, or it is not in your region.
staff-user-label = Who is it for
staff-user-label-hint = For example a name or "Library front desk". Shown in lists of users.
staff-label-empty = Type who the user is.
staff-invite-submit = Create the invitation
staff-invitation-made = Invitation code
staff-invitation-qr = QR code of the invitation code { $code }
staff-my-cards = My cards
staff-counts-title = Cards in { $year }
staff-count-handed-out = Handed out this year
staff-count-active = Valid now
staff-count-expiring = Expiring within 30 days
staff-count-revoked = Cancelled this year
staff-search-id = Card number or its start
staff-search-hint = For example A000 1000 or the whole number
staff-search-bad = A card number has only letters and digits, at most 20.
staff-search-status = State
staff-status-any = Any
staff-status-active = Valid
staff-status-expired = Expired
staff-status-revoked = Cancelled
staff-search = Search
staff-search-total = { $n ->
    [0] No cards found
    [one] 1 card found
   *[other] { $n } cards found
}
staff-search-more = Show more
staff-state-expired = Expired on { $date }
staff-state-revoked = Cancelled on { $date }
staff-card-actions = Renew or cancel
staff-renew = Renew the card
staff-renew-hint = Renewing makes the card valid for 12 months from today. A card already valid for longer keeps its longer validity.
staff-revoke-reason = Reason for cancelling
staff-revoke-reason-empty = Choose why the card is cancelled.
staff-revoke = Cancel the card

## Staff console: bringing in the old register, downloading the region's (app/views/staff/import.rs, exports.rs)
staff-import = Bring in cards from the old register
staff-import-intro = A CSV file saved from the spreadsheet, with a header row: card number, issued on, valid until, kind, background data, minors on record, status. Checking changes nothing; importing brings in all rows or none.
staff-import-file = CSV file
staff-import-file-hint = Choose the file, or paste its text below.
staff-import-file-read = Read from { $name }. Check it below before importing.
staff-import-text = The file's text
staff-import-empty = Choose a file or paste its text first.
staff-import-unreadable = The file could not be read. Save it from the spreadsheet as "CSV UTF-8" and choose it again.
staff-import-check = Check the file
staff-import-checked = Checked: nothing has been imported yet
staff-import-new = New cards
staff-import-changed = Changed cards
staff-import-unchanged = Already in the register, unchanged
staff-import-bad = { $n ->
    [one] 1 row cannot be imported, so nothing will be. Fix it in the file and check again.
   *[other] { $n } rows cannot be imported, so nothing will be. Fix them in the file and check again.
}
staff-import-bad-caption = Rows to fix
staff-import-line = Line
staff-import-column = Column
staff-import-reason = Reason
staff-import-whole-row = The whole row
staff-import-fix = Line 1 is the header row. After fixing, choose or paste the file again and check it.
staff-import-nothing = Every card in the file is already in the register as it is. There is nothing to import.
staff-import-run = { $n ->
    [one] Import 1 card
   *[other] Import { $n } cards
}
staff-import-done = Imported
staff-import-personal-data = The file has a column of names or other personal data. Names, identity numbers and addresses are never stored in the register: a name is written on the card by hand. Delete the column and check the file again. Nothing was imported.
staff-import-invalid-csv = The file cannot be read as a cards file: { $message }. Nothing was imported.
staff-import-too-large = The server did not accept the file. Save it as "CSV UTF-8"; if it is very large, split it in parts.
staff-export-title = Download the register
staff-export-intro = The cards and their uses in your area, as CSV files for a spreadsheet. Never any names.
staff-export-cards = Download the cards (cards.csv)
staff-export-redemptions = Download the uses (redemptions.csv)
staff-export-saved = { $name } is saved ({ $rows } rows): { $at }
staff-export-not-saved = The file was fetched but could not be saved: { $reason }

## Venue screens: events and courses, scanner devices, uses (app/views/staff/venue_*.rs)
staff-venue-nav = Venue
staff-venue-at = { $date } at { $time }
staff-venue-cancel = Cancel
staff-venue-offers = Events and courses
staff-venue-offers-intro = What the card is good for at your venue: tickets to events and places on courses. Scanners get the open ones when they sync.
staff-venue-offers-none = No events or courses yet.
staff-venue-offer-add = Add an event or course
staff-venue-offer-edit = Edit an event or course
staff-venue-offer-name = Name
staff-venue-offer-name-hint = As staff at the door see it, for example Saturday matinee.
staff-venue-offer-name-empty = Type a name.
staff-venue-offer-name-long = The name is too long: at most 200 characters.
staff-venue-offer-kind = What the card gives
staff-venue-offer-limit = Free places a day
staff-venue-offer-limit-hint = Optional. Leave it empty if there is no limit.
staff-venue-offer-limit-bad = Type the number of free places as digits, for example 20, or leave it empty for no limit.
staff-venue-offer-limit-range = The daily limit is 1 to 100,000 places. Leave it empty for no limit; to stop an event or course, close it.
staff-venue-offer-save = Save
staff-venue-offer-closed-already = This event or course is closed: it cannot be changed any more.
staff-venue-offer-unknown = This venue has no such event or course.
staff-venue-no-limit = No daily limit
staff-venue-limit = { $n ->
    [one] 1 free place a day
   *[other] { $n } free places a day
}
staff-venue-state = State
staff-venue-open = Open
staff-venue-closed-on = Closed on { $date }
staff-venue-edit = Edit
staff-venue-close = Close
staff-venue-close-question = Close “{ $name }”? Scanners will no longer offer it, and it cannot be opened again. Its uses stay in the figures.
staff-venue-close-yes = Yes, close it
staff-venue-closed-done = “{ $name }” is closed.
staff-venue-add-scanner = Add a scanner phone
staff-venue-add-scanner-intro = A one-time enrollment code makes a phone or tablet your venue's scanner. Create it when the phone is at hand: it works once, and only for a short while.
staff-venue-code-create = Create an enrollment code
staff-venue-code-another = Create a new code
staff-venue-code-made = Enrollment code
staff-venue-code-qr = QR code of the enrollment link with code { $code }
staff-venue-code-how = On the phone, point the camera at the QR code and open the link. Or open Kaiku, choose Scan cards, and scan the code or type it there.
staff-venue-code-until = Works once, until { $when }.
staff-venue-code-link = The link, to open on a computer:
staff-venue-code-done = See the venue's devices
staff-venue-devices = Scanner devices
staff-venue-devices-none = No scanner devices yet.
staff-venue-devices-venue-only = Only the venue's own users and administrators add and revoke its devices.
staff-venue-device-enrolled = Enrolled
staff-venue-device-last-sync = Last sync
staff-venue-device-never = Not yet
staff-venue-device-sent = Uses sent
staff-venue-device-revoked = Revoked: this device can no longer sync.
staff-venue-revoke = Revoke
staff-venue-revoke-question = Revoke “{ $label }”? It can no longer sync or download register data. Uses it has not sent stay on the device. To use it again, enroll it with a new code.
staff-venue-revoke-yes = Yes, revoke it
staff-venue-revoked-done = “{ $label }” is revoked.
staff-venue-uses = Uses
staff-venue-uses-intro = How many people came with the card, per event or course. The figures come in when the scanners sync.
staff-venue-uses-today = Today, { $date }
staff-venue-uses-month = This month, { $from } – { $to }
staff-venue-uses-adults = Adults
staff-venue-uses-children = Children
staff-venue-uses-total = Total
staff-venue-uses-all = All together
staff-venue-uses-none = No uses.
staff-venue-uses-closed = { $name } (closed)
staff-venue-uses-no-offer = { $kind } without an event or course

# Setting up a region and administration (setup_regions.rs, setup_orgs.rs, setup_users.rs, admin_keys.rs; invite.rs)
staff-loading-list = Loading the list…
staff-name-long = The name is too long: at most { $max } characters.
staff-invitation-give = Give this code to the person it is for. In the app they choose "Staff sign-in", then "I have an invitation code", and set their own username and password.
staff-invitation-give-to = Give this code to { $who }. In the app they choose "Staff sign-in", then "I have an invitation code", and set their own username and password.
staff-regions = Regions
staff-regions-none = No regions yet.
staff-region-coordinators = Coordinators
staff-region-no-coordinator = none yet
staff-invite-coordinator-of = Invite the coordinator of { $region }
staff-region-new = Add a region
staff-region-name = Name of the region
staff-region-name-hint = For example Rovaniemi or Lapland.
staff-region-name-empty = Type the name of the region.
staff-region-create = Add the region
staff-organisations = Distributors and venues
staff-orgs-of = In the region { $region }
staff-distributors = Card distributors
staff-distributors-none = No card distributors yet.
staff-distributor-name = Name of the distributor
staff-distributor-name-hint = For example Rovaniemi social services.
staff-distributor-name-empty = Type the name of the distributor.
staff-distributor-create = Add the distributor
staff-distributor-created = { $name } is added. Invite its users on the Users screen.
staff-venues = Venues
staff-venues-none = No venues yet.
staff-setup-venue-name = Name of the venue
staff-setup-venue-name-hint = For example City theatre.
staff-setup-venue-name-empty = Type the name of the venue.
staff-setup-venue-first-offer = Its first event or course
staff-setup-venue-create = Add the venue
staff-setup-venue-created = { $name } is added with { $offer }. Invite its users on the Users screen.
staff-setup-venue-saved-offer-not = The venue is saved, but its event or course is not: { $reason } Check the fields and try again; the venue will not be added twice.
staff-users = Users
staff-users-none = No users yet.
staff-users-caption = The users you manage
staff-user-state = Sign-in
staff-user-actions = Actions
staff-user-can-sign-in = Can sign in
staff-user-invited = Invited, no password yet
staff-user-revoked = Revoked
staff-user-reset = New invitation
staff-user-reset-for = New invitation for { $who }
staff-user-revoke = Revoke
staff-user-revoke-for = Revoke { $who }
staff-user-revoke-question = Revoke { $who }? They can no longer sign in, and whatever they are signed in on stops working at once. This cannot be undone.
staff-keys = Signing keys
staff-keys-intro = The active key signs the mobile cards activated and refreshed from now on. Every key stays published, so cards signed earlier keep working.
staff-keys-caption = The server's signing keys
staff-key-id = Key
staff-key-created = Added
staff-key-state = State
staff-key-active = Signs new cards
staff-key-published = Published
staff-key-activate-for = Sign with key { $id }
staff-key-activate-question = Sign new cards with key { $id } from now on? Scanners that have not synced since the key was added do not know it yet and refuse those cards until they sync.
staff-key-activated = Key { $id } now signs new cards.
staff-key-added = Key { $id } is added and published. Make it the signing key once the scanners have synced.
staff-key-new = A new key
staff-key-new-hint = A new key is published at once, and scanners fetch it with their next sync. It signs nothing until you make it the signing key.
staff-key-add = Add a key

# The statistics dashboard (dashboard.rs, dashboard_tables.rs, dashboard_charts.rs)
stats-title = Statistics
stats-period = Period
stats-period-kind = Which period
stats-kind-year = Year
stats-kind-month = Month
stats-kind-range = Date range
stats-from = From
stats-to = To
stats-month-hint = For example 2026-03 or 3/2026
stats-day-hint = For example 2026-03-01
stats-error-year = A year is four digits, for example 2026.
stats-error-month = Write the month as 2026-03 or 3/2026.
stats-error-day = Write the day as 2026-03-01.
stats-error-order = The last day cannot be before the first.
stats-scope = Whose figures
stats-scope-own = All of my area
stats-scope-distributors = Distributors
stats-scope-venues = Venues
stats-show = Show the figures
stats-loading = Fetching the figures…
stats-heading = { $period }: { $scope }
stats-period-year = The year { $year }
stats-period-range = { $from } – { $to }
stats-month-year = { $month } { $year }
stats-cards-registered = Cards handed out
stats-cards-valid = Cards valid in the period
stats-cards-used = Cards used
stats-usage-rate = Usage rate
stats-uses = Uses
stats-adults = Uses by adults
stats-children = Uses by children
stats-community-uses = Uses of community cards
stats-community-people = People on community cards
stats-course-places = Course places
stats-month = Month
stats-per-month = Uses per month
stats-per-venue = Uses per venue
stats-per-distributor = Cards handed out per distributor
stats-venue = Venue
stats-distributor = Distributor
stats-none = None in this period.
stats-frequency = How often cards were used
stats-freq-times = Times used
stats-freq-cards = Cards
stats-freq-once = Once
stats-freq-twice = Twice
stats-freq-three-to-five = 3–5 times
stats-freq-more-than-five = More than 5 times
stats-cross-tab = Uses by age group and gender
stats-cross-tab-intro = A group of fewer than { $n } cards is not shown by itself, so that no one can be identified: such groups are added up in the last row.
stats-cross-tab-caption = Cards and uses per group (groups of fewer than { $n } cards added up in one row)
stats-fewer-than = fewer than { $n }
stats-by-age_band = Age group
stats-by-gender = Gender
stats-by-mother_tongue = Mother tongue
stats-by-life_situation = Life situation
stats-by-postal_code = Postal code
stats-csv-title = Download the figures
stats-csv = Download as a CSV file
stats-csv-saved = Saved: { $at }
stats-chart-months = Column chart: { $uses } uses over { $months } months, the most in { $busiest } ({ $most }).
stats-chart-venues = Bar chart: uses at { $count } venues, the most at { $first } ({ $most }).
stats-chart-distributors = Bar chart: cards handed out by { $count } distributors, the most by { $first } ({ $most }).
stats-chart-frequency = Bar chart: { $once } cards were used once, { $more } more than 5 times.
stats-month-1 = January
stats-month-2 = February
stats-month-3 = March
stats-month-4 = April
stats-month-5 = May
stats-month-6 = June
stats-month-7 = July
stats-month-8 = August
stats-month-9 = September
stats-month-10 = October
stats-month-11 = November
stats-month-12 = December
stats-month-short-1 = Jan
stats-month-short-2 = Feb
stats-month-short-3 = Mar
stats-month-short-4 = Apr
stats-month-short-5 = May
stats-month-short-6 = Jun
stats-month-short-7 = Jul
stats-month-short-8 = Aug
stats-month-short-9 = Sep
stats-month-short-10 = Oct
stats-month-short-11 = Nov
stats-month-short-12 = Dec
stats-month-0 = ?
stats-month-short-0 = ?

# Door: same card again and the mobile card's age (scanner door, verdict panel, device screen)
scan-ago-now = just now
scan-ago-minutes = { $n ->
    [one] a minute ago
   *[other] { $n } minutes ago
}
scan-ago-hours = { $n } hours ago
scan-ago-days = { $n ->
    [one] a day ago
   *[other] { $n } days ago
}
scan-seen-here = Seen here { $ago } ({ $time }): this device recorded the same card then.
scan-credential-issued = The mobile card's code was created { $ago }.
scan-credential-old = The mobile card's code was created { $ago }: the app renews it whenever the card is opened online. An old code may be a copy: ask the holder to open the card in the app.
scan-seen-window-title = Same card again
scan-seen-window-label = Warning time (minutes)
scan-seen-window-hint = If this device recorded the same card within this time, the door shows a warning. Whole minutes from 0 to { $max }; 0 turns the warning off. The card is never refused for this.
scan-seen-window-save = Save
scan-seen-window-saved = Saved: the door warns when the same card was recorded within { $n ->
    [one] a minute
   *[other] { $n } minutes
}.
scan-seen-window-off = Saved: the warning is off.
scan-seen-window-not-saved = The setting was not saved: { $error }
scan-seen-window-not-minutes = Write the time in whole minutes, for example 30.
scan-seen-window-too-long = At most { $max } minutes (a day).

# Trusted keys and https-only servers (scanner verdict, server address fields, admin keys screen)
scan-why-retired-key = The mobile card is signed with key { $key }, which was retired on { $from }. Ask the holder to open the card in the app with a network connection: it then gets a card under the new key.
server-not-https = Use an address that starts with https://. The app sends no cards or passwords over plain http, which anyone on the way can read and change (plain http only works for a server on this device).
server-not-an-address = This is not a server address: write it like https://kaiku.example.fi.
staff-key-retired = Retired from { $from }
staff-key-retire-for = Retire key { $id }
staff-key-retire-title = Retire key { $id }
staff-key-retire-hint = Scanners refuse mobile cards signed with this key from the day you choose, once they have synced. A holder's card gets a new credential under the active key when the holder's app next updates the card. Retire a key that may have leaked from today.
staff-key-retire-from = Refuse its cards from
staff-key-retire-date-empty = Choose the day from which the key's cards are refused.
staff-key-retire-question = Retire key { $id } from { $from }? This cannot be undone.
staff-key-retire-yes = Retire key { $id }
staff-key-retired-done = Key { $id } is retired from { $from }. Scanners learn it with their next sync.
staff-key-endorsed-by = endorsed by key { $id }

# Uses to check and the holder's refresh secret (card screen, staff uses-to-check screens)
status-needs-activation = This phone can no longer update the card: the card must be activated again. Ask the place where you got your card for a new activation code. The card stays on this phone meanwhile.
staff-checks = Uses to check
staff-checks-intro = The same card was read by two different scanner devices within a short time. It may be a shared copy of a mobile card, or a slip at the door. Nothing was refused: look carefully at the card the next time it comes. Only card numbers are shown.
staff-checks-none = No uses to check in the last 90 days.
staff-checks-count = { $n ->
    [one] One use to check
   *[other] { $n } uses to check
} in the last 90 days, newest first.
staff-checks-card = Card { $card }
staff-checks-apart = { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
} between the two uses
staff-checks-scan = { $venue }, scanner device “{ $device }”: { $offer }

# A busy server (429, or 503 with Retry-After): activation, console, scanner sync and enrollment
error-busy = The server is getting too many requests right now. Try again in { $wait }.
scan-sync-busy = the server is busy. Nothing is lost: sync again in { $wait }.

# Statistics that cannot be differenced (statistics dashboard)
stats-kind-months = Range of months
stats-rounded-note = To protect privacy, the figures are rounded to the nearest 5, and 1–4 is shown as “fewer than 5”. Percentages are worked out from the rounded figures.
stats-other-groups = Smaller groups together
stats-between = { $from }–{ $to }

# The server says this device's clock is ahead (scanner status bar)
scan-clock-ahead = { $minutes ->
    [one] This phone's clock is about 1 minute ahead: set the time in the phone's settings.
   *[other] This phone's clock is about { $minutes } minutes ahead: set the time in the phone's settings.
}

# Gate mode and undo at the door (scanner door, device screen)
scan-gate-title = Gate mode
scan-gate-hint = For festivals and busy doors. A valid card with nothing to choose (one adult, no children on record) is recorded at once, with a tick and a sound, and the camera is ready for the next person. Children on record, community cards, a card seen here a moment ago, unverified and refused cards still stop for you.
scan-gate-switch = Record plain cards at once
scan-gate-is-on = Gate mode is on on this device.
scan-gate-is-off = Gate mode is off: every card waits for your tap.
scan-gate-not-saved = The setting was not saved: { $error }
scan-gate-badge = gate mode
scan-gate-choose-offer = Gate mode records at once only when the event or course is chosen: choose it above.
scan-undo = Undo ({ $seconds } s)
scan-undone = Undone: { $summary }. The correction is logged and will be sent; it is not counted.
scan-undo-failed = Not undone: { $reason }
