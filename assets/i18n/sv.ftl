app-name = Kaiku
app-tagline = Kulturkortet Kaiku
skip-to-content = Hoppa till innehållet
nav-start = Kaiku, till början
language = Språk
text-size = Textstorlek
text-smaller = Mindre text
text-larger = Större text
text-size-now = Textstorlek { $percent } %

start-question = Vad vill du göra?
start-holder = Mitt kort
start-holder-hint = Visa ditt Kaikukort vid dörren
start-scanner = Läs kort
start-scanner-hint = För personal och frivilliga vid evenemang

activate-title = Ta kortet i bruk
activate-intro = Skriv aktiveringskoden som du fick av tjänsten som gav dig kortet.
activate-code = Aktiveringskod
activate-code-hint = Till exempel 7K2M-QX4P-9RTB
activate-name = Ditt namn (frivilligt)
activate-name-hint = Namnet visas bara i den här telefonen. Det skickas aldrig någonstans.
activate-advanced = Serverinställningar
activate-server = Serverns adress
activate-submit = Ta kortet i bruk
activate-working = Tas i bruk…
error-code-empty = Skriv först aktiveringskoden.
error-code-unknown = Aktiveringskoden finns inte. Kontrollera koden och försök igen.
error-code-gone = Koden har redan använts eller gått ut. Be om en ny kod där du fick kortet.
error-network = Ingen nätverksanslutning. Försök igen när du är uppkopplad.
error-server = Något gick fel på servern ({ $status }). Försök igen senare.
error-storage = Kortet kunde inte sparas i den här enheten: { $reason }

card-title = Kaikukort
card-none = Det finns inget kort i den här enheten ännu.
card-activate = Ta ett kort i bruk
card-qr-label = QR-kod för kort { $id } att läsas vid dörren
card-barcode-label = Streckkod för kortnummer { $id }
card-number = Kortnummer
card-holder = Innehavare
card-kind-personal = Personligt kort
card-kind-community = Gemenskapskort: { $organisation }
card-kind-community-plain = Gemenskapskort
card-valid-until = Giltigt till { $date }
card-children = { $count ->
    [0] Inga barnbiljetter registrerade
    [one] Biljett för ett barn registrerad
   *[other] Biljetter för { $count } barn registrerade
}
card-live = Levande kort, klockan nu { $time }
card-expires-soon = { $days ->
    [one] Ditt kort går ut i morgon. Förnya det där du fick kortet.
   *[other] Ditt kort går ut om { $days } dagar. Förnya det där du fick kortet.
}
card-expires-today = Ditt kort går ut i dag. Förnya det där du fick kortet.
card-expired = Ditt kort gick ut { $date }. Det kan förnyas där du fick kortet.
card-revoked = Kortet annullerades { $date }. Be om ett nytt kort där du fick det.
card-remove = Ta bort kortet från enheten
card-remove-confirm = Ta bort? Du behöver en ny aktiveringskod för att lägga till det igen.
status-checked = Status kontrollerad { $when }
status-never = Status inte kontrollerad ännu
status-refresh = Kontrollera status nu
status-refreshing = Kontrollerar…
status-offline = Inget nätverk: visar kortet som sparats i enheten
when-just-now = just nu
when-minutes = för { $n } min sedan
when-hours = för { $n } h sedan
when-days = { $n ->
    [one] för en dag sedan
   *[other] för { $n } dagar sedan
}

scanner-title = Läs kort
scanner-not-yet = Läsaren finns inte ännu i den här versionen.
