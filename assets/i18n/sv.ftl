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
activate-camera = Läs QR-koden med kameran
read-activation-title = Läs aktiveringskoden
read-activation-intro = Håll QR-koden du fick se framför kameran. Aktiveringen öppnas med koden ifylld.
read-activation-camera-label = Kamerabild för att läsa aktiveringskoden
read-activation-on = Kameran är på: håll aktiveringskodens QR-kod framför kameran.
read-activation-card = Det här är kortets egen kod, inte en aktiveringskod. Visa aktiveringskodens QR-kod.
read-activation-other = Den här QR-koden är inte en aktiveringskod. Visa aktiveringskodens QR-kod.
read-activation-none = Enheten har ingen kamera: skriv aktiveringskoden.
read-activation-denied = Kameran får inte användas. Tillåt den i webbläsarens eller telefonens inställningar, eller skriv koden.
read-activation-failed = Kameran fungerar inte ({ $error }). Skriv aktiveringskoden.
read-activation-type = Skriv koden
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
status-not-in-register = Kortet finns inte längre i kortregistret, så besöksmålen godtar det kanske inte. Kortet finns kvar i den här telefonen. Kontakta stället där du fick kortet: där får du veta varför och vad du kan göra.
when-just-now = just nu
when-minutes = för { $n } min sedan
when-hours = för { $n } h sedan
when-days = { $n ->
    [one] för en dag sedan
   *[other] för { $n } dagar sedan
}

scanner-title = Läs kort

## Läsarläge: personalen vid dörren
scan-opening = Läsaren öppnas…
scan-store-problem = Läsarens lagring i den här enheten kan inte öppnas ({ $error }). Ingenting kan registreras. Stäng appen och öppna den igen; om felet kvarstår, frigör utrymme i enheten.
scan-store-retry = Försök igen
scan-nav-label = Läsare
scan-tab-door = Dörr
scan-tab-history = I dag
scan-tab-device = Enhet
scan-venue = Besöksmål: { $venue }
scan-welcome = Den här enheten läser nu kort för { $venue }.
scan-not-enrolled = Den här enheten är inte registrerad som läsare.

scan-enroll-title = Ta enheten i bruk som läsare
scan-enroll-intro = En användare vid besöksmålet skapar en engångskod för registrering i registret. Skriv koden här eller läs dess QR-kod med kameran.
scan-enroll-was = Den här enheten läste tidigare kort för { $venue }. Dess logg finns kvar.
scan-enroll-code = Registreringskod
scan-enroll-code-hint = 12 tecken, till exempel 7K2M-QX4P-9RTB. Mellanslag och bindestreck spelar ingen roll.
scan-enroll-label = Enhetens namn
scan-enroll-label-hint = Så att besöksmålet kan skilja sina enheter åt, till exempel Huvudingången.
scan-enroll-label-default = Dörrläsare
scan-enroll-submit = Ta enheten i bruk
scan-enroll-working = Tas i bruk…
scan-enroll-empty = Skriv först registreringskoden.
scan-enroll-bad-char = Tecknet ”{ $found }” används inte i registreringskoder. Kontrollera koden.
scan-enroll-length = En registreringskod har 12 tecken, den här har { $n }.
scan-enroll-unknown = Registreringskoden finns inte. Kontrollera den och skriv den igen.
scan-enroll-gone = Koden har redan använts eller gått ut. Be användaren vid besöksmålet om en ny kod.
scan-enroll-refused = Servern avvisade registreringen ({ $status }): { $message }
scan-enroll-first-pull = Enheten är i bruk, men registeruppgifterna kunde inte hämtas ännu. Korten släpps in utan verifiering tills enheten synkroniserar.
scan-enroll-already = Den här enheten är redan läsare för { $venue }.
scan-enroll-store = Registreringen kunde inte sparas i den här enheten: { $error }
scan-enroll-scan = Läs koden med kameran
scan-enroll-scan-cancel = Stäng kameran
scan-enroll-camera-label = Kameravy för att läsa registreringskoden
scan-enroll-camera-on = Kameran är på: håll registreringskodens QR-kod från registret framför kameran.
scan-enroll-qr-read = Koden lästes från QR-koden: kontrollera den och tryck på ”Ta enheten i bruk”.
scan-enroll-qr-card = Det här är koden för ett Kaikukort, inte en registreringskod. Visa registreringskodens QR-kod från registret.
scan-enroll-qr-other = Den här QR-koden är ingen registreringskod. Visa registreringskodens QR-kod från registret.
scan-enroll-camera-none = Enheten har ingen kamera: skriv koden i fältet Registreringskod.
scan-enroll-camera-denied = Kameran får inte användas. Tillåt den i webbläsarens eller enhetens inställningar, eller skriv koden i fältet Registreringskod.
scan-enroll-camera-busy = Kameran används av en annan app. Stäng den eller skriv koden i fältet Registreringskod.
scan-enroll-camera-failed = Kameran fungerar inte ({ $error }). Skriv koden i fältet Registreringskod.

scan-offer = Evenemang eller kurs
scan-offer-ticket = Biljett
scan-offer-course = Kursplats
scan-offer-used = { $used } av { $limit } fria platser använda i dag

scan-camera-label = Kameravy för att läsa kortkoder
scan-camera-starting = Kameran startar…
scan-camera-on = Kameran är på: håll kortets kod framför kameran.
scan-camera-none = Enheten har ingen kamera: skriv kortnumret nedan.
scan-camera-denied = Kameran får inte användas. Tillåt den i webbläsarens eller enhetens inställningar, eller skriv kortnumret nedan.
scan-camera-busy = Kameran används av en annan app. Stäng den eller skriv kortnumret nedan.
scan-camera-failed = Kameran fungerar inte ({ $error }). Skriv kortnumret nedan.
scan-camera-retry = Försök med kameran igen
scan-torch-on = Lampan på
scan-torch-off = Lampan av
scan-switch-camera = Byt kamera (fram / bak)

scan-manual-label = Skriv kortnumret
scan-manual-check = Kontrollera
scan-manual-add = Lägg till
scan-manual-empty = En bokstav och nio siffror, till exempel A000 1000 09.
scan-manual-keep-typing = Fortsätt skriva: { $typed } av 10 tecken.
scan-manual-complete = Komplett, giltigt kortnummer.
scan-manual-printed-or-more = Ett tryckt kortnummer, eller fortsätt: { $typed } av 10 tecken.
scan-manual-printed = Tryckt kortnummer: kontrolleras i registret.
scan-manual-not-kaiku = Inget Kaiku-nummer (kontrollsiffran): söks som tryckt kort.
scan-manual-bad-letter = Ett kortnummer börjar med en bokstav, inte ”{ $found }”.
scan-manual-not-digit = Tecken { $position } ska vara en siffra, inte ”{ $found }”.
scan-manual-too-long = För långt för ett kortnummer ({ $typed } tecken).
scan-manual-credential = En kod från ett mobilkort: tryck på Kontrollera.

scan-verdict-admit = Giltigt: släpp in
scan-verdict-flagged = Släpp in: inte verifierat
scan-verdict-refuse = Inte giltigt: inget fritt inträde
scan-verdict-card = Kort { $id }
scan-why-signed = Kontrollerat från det signerade mobilkortet.
scan-why-register = Kontrollerat mot registeruppgifterna från { $date }.
scan-why-no-copy = Enheten har inga registeruppgifter ännu, så kortet kan inte kontrolleras utan nätverk. Det kontrolleras när enheten synkroniserar.
scan-why-not-in-copy = Kortet finns inte i enhetens registeruppgifter (från { $date }). Det kontrolleras när enheten synkroniserar.
scan-why-stale = Registeruppgifterna i enheten är gamla (från { $date }). Kortet kontrolleras när enheten synkroniserar.
scan-why-expired = Gick ut { $date }. Kortet kan förnyas där det delades ut.
scan-why-revoked = Annullerat { $date }: { $reason }.
scan-revoked-lost = anmält förlorat
scan-revoked-stolen = anmält stulet
scan-revoked-misuse = missbruk
scan-revoked-replaced = ersatt med ett nytt kort
scan-why-not-registered = Kortet är inte registrerat och kan därför inte användas ännu.
scan-why-not-registered-printed = Inte registrerat: be innehavaren kontakta stället där hen fick kortet.
scan-why-did-you-mean = Menade du { $id }? Kontrollera numret på kortet.
scan-check-suggested = Kontrollera { $id } i stället
scan-why-community-course = Ett gemenskapskort gäller inte kursplatser.
scan-why-empty = Ingenting lästes.
scan-why-not-a-card = Det här är ingen kod för Kaikukortet.
scan-why-bad-check = Ser ut som ett kortnummer, men kontrollsiffran stämmer inte. Titta på kortet igen.
scan-why-bad-form = Ser ut som ett kortnummer, men formen är fel (bokstäver och sedan siffror, som på kortet).
scan-why-unknown-key = Mobilkortet är signerat med en nyckel som enheten inte känner till: det kan vara förfalskat. Synkronisera enheten och läs kortet igen.
scan-why-bad-signature = Mobilkortets signatur stämmer inte: koden har ändrats eller förfalskats.
scan-why-new-version = Mobilkortet kommer från en nyare version av appen. Uppdatera den här appen.
scan-why-damaged = Mobilkortets kod är skadad eller ofullständig. Be innehavaren öppna kortet igen eller skriv kortnumret.
scan-decide-failed = Enhetens registeruppgifter kan inte läsas: { $error }
scan-hold-note = Registrera det här kortet eller tryck på Nästa person innan du läser nästa kort.
scan-next = Nästa person

scan-record-one-ticket = Registrera 1 biljett
scan-record-course = Registrera 1 kursplats
scan-record-tickets = Registrera { $count } biljetter
scan-recording = Registrerar…
scan-recorded = Registrerat: { $summary }
scan-record-failed = Inte registrerat: { $reason } Ingenting gick förlorat; rätta till och försök igen.
scan-adults = { $n ->
    [one] 1 vuxen
   *[other] { $n } vuxna
}
scan-children = { $n ->
    [one] 1 barn
   *[other] { $n } barn
}
scan-children-label = Barnbiljetter
scan-children-less = Ett barn färre
scan-children-more = Ett barn till
scan-children-max = Högst { $max }: de registrerade barnen.
scan-children-course = Inga barnbiljetter med en kursplats.
scan-children-unverified = Inte verifierat: antalet registrerade barn är inte känt här. Servern kontrollerar antalet.
scan-group-title = Gruppmedlemmar, var och en med eget kort
scan-group-needed = Ett gemenskapskort kräver minst en gruppmedlem med eget kort.
scan-group-unverified-hint = Endast för gemenskapskort: lägg till varje medlems eget kort.
scan-add-member = Lägg till gruppmedlem
scan-member-scan = Läs medlemmens eget kort eller skriv dess nummer.
scan-member-done = Klar
scan-member-remove = Ta bort { $id }
scan-member-added = { $id } tillagt.
scan-member-community = { $id } är ett gemenskapskort: varje medlem behöver ett eget personligt kort.
scan-member-twice = { $id } finns redan i gruppen.
scan-member-self = { $id } är själva gemenskapskortet.
scan-member-full = Gruppen är full ({ $max } medlemmar).
scan-member-refused = { $id } godkänns inte: { $reason }
scan-rule-group-personal = Ett personligt kort har ingen grupp: läs varje medlems eget kort.
scan-rule-too-many-children = { $asked } barnbiljetter, men kortet har { $max } registrerade barn.
scan-store-failed = enhetens lagring misslyckades ({ $error }).

scan-status-label = Synkroniseringsstatus
scan-pending = { $n ->
    [0] Alla användningar skickade
    [one] 1 användning väntar på att skickas
   *[other] { $n } användningar väntar på att skickas
}
scan-register-age = Registeruppgifterna uppdaterade { $when }
scan-register-never = Registeruppgifterna har aldrig hämtats
scan-sync-never = Inte synkroniserat ännu
scan-sync-ok = { $sent ->
    [0] Synkroniserat kl. { $time }
   *[other] Synkroniserat kl. { $time }: { $sent } skickade
}
scan-sync-failed = Synkroniseringen misslyckades kl. { $time }: { $reason }
scan-sync-network = inget nätverk. Registreringen fortsätter; allt skickas senare.
scan-sync-timeout = servern svarade inte i tid.
scan-sync-unauthorised = servern godkänner inte längre den här enheten. Ta enheten i bruk på nytt.
scan-sync-refused = servern avvisade ({ $status }): { $message }
scan-sync-server = serverfel ({ $status }).
scan-sync-now = Synkronisera nu
scan-syncing = Synkroniserar…
scan-attention = { $n ->
    [one] 1 användning behöver åtgärdas
   *[other] { $n } användningar behöver åtgärdas
}
scan-attention-hint = Servern avvisade dessa. De finns kvar i den här enheten. Meddela besöksmålets kontaktperson.

scan-history-title = Dagens användningar
scan-history-none = Ingenting har registrerats i dag ännu.
scan-history-counts = Per evenemang eller kurs
scan-history-count = { $count ->
    [one] 1 användning
   *[other] { $count } användningar
}, { $people ->
    [one] 1 person
   *[other] { $people } personer
}
scan-history-list = Alla användningar, den senaste först
scan-history-group = Grupp: { $ids }
scan-history-unverified = Insläppt utan verifiering vid dörren.
scan-state-pending = Väntar på att skickas
scan-state-sent = Skickad
scan-state-rejected = Avvisad av servern: { $reason }

scan-device-title = Den här läsenheten
scan-device-id = Enhetsnummer { $id }
scan-device-server = Server: { $server }
scan-unenroll = Sluta använda enheten som läsare
scan-unenroll-hint = Enheten glömmer sin nyckel till servern. Loggen över användningar finns kvar i enheten.
scan-unenroll-unsynced = { $n ->
    [one] 1 användning har inte skickats ännu. Synkronisera först. Om du slutar nu finns den kvar i enheten men kan inte skickas förrän enheten tas i bruk igen.
   *[other] { $n } användningar har inte skickats ännu. Synkronisera först. Om du slutar nu finns de kvar i enheten men kan inte skickas förrän enheten tas i bruk igen.
}
scan-unenroll-keep = Sluta ändå och behåll dem i enheten
scan-unenroll-done = Enheten är inte längre läsare. Dess logg finns kvar.
scan-unenroll-failed = Det gick inte att sluta: { $error }

## Staff console (app/views/staff/)
start-staff = Inloggning för personal
start-staff-hint = För kortutdelare, evenemang, koordinatorer och administratörer
staff-console = Personalens konsol
staff-loading = Personalens konsol öppnas…
staff-sign-in-title = Inloggning för personal
staff-username = Användarnamn
staff-password = Lösenord
staff-username-empty = Skriv ditt användarnamn.
staff-password-empty = Skriv ditt lösenord.
staff-sign-in = Logga in
staff-signing-in = Loggar in…
staff-have-invitation = Jag har en inbjudningskod
staff-have-password = Jag har redan ett lösenord: logga in
staff-not-kept = Du är inloggad, men enheten kunde inte spara sessionen: { $reason }
staff-wait-seconds = { $n ->
    [one] 1 sekund
   *[other] { $n } sekunder
}
staff-wait-minutes = { $n ->
    [one] 1 minut
   *[other] { $n } minuter
}
staff-error-wrong-credentials = Användarnamnet eller lösenordet är fel. Stora och små bokstäver räknas som olika i lösenord.
staff-error-locked = Kontot är låst efter för många fel lösenord. Försök igen om { $wait }.
staff-error-slow-down = För många misslyckade inloggningar. Vänta { $wait } innan du försöker igen.
staff-session-ended = Din session har upphört. Logga in igen.
staff-error-invitation-used = Inbjudan har redan använts. Be den som bjöd in dig om en ny.
staff-error-invitation-expired = Inbjudan har gått ut eller ersatts. Be den som bjöd in dig om en ny.
staff-error-invitation-unknown = Det finns ingen sådan inbjudningskod. Kontrollera koden och skriv den igen.
staff-error-username-taken = Någon annan har redan det här användarnamnet. Välj ett annat.
staff-error-forbidden = Din roll tillåter inte detta.
staff-error-refused = Servern avvisade: { $message }
staff-signed-out = Du har loggat ut.
staff-signed-out-offline = Du har loggat ut på den här enheten. Servern gick inte att nå, så sessionen upphör där när den går ut.
staff-invitation-title = Ta emot en inbjudan
staff-invitation-intro = Skriv koden du fick och välj sedan användarnamn och lösenord.
staff-invitation-code = Inbjudningskod
staff-invitation-code-empty = Skriv inbjudningskoden.
staff-username-hint = 3–100 bokstäver, siffror eller . _ - @ +. En e-postadress går bra.
staff-username-length = Ett användarnamn har 3–100 tecken.
staff-username-chars = Ett användarnamn får bara ha bokstäver, siffror och . _ - @ +
staff-new-password = Nytt lösenord
staff-new-password-hint = Minst { $min } tecken. Några ord i rad är lätta att komma ihåg.
staff-new-password-again = Nytt lösenord igen
staff-password-short = Lösenordet är för kort: minst { $min } tecken.
staff-password-long = Lösenordet är för långt: högst { $max } tecken.
staff-password-is-username = Lösenordet får inte vara ditt användarnamn.
staff-password-mismatch = Lösenorden är inte lika.
staff-invitation-submit = Spara lösenordet och logga in
staff-role-admin = Administratör
staff-role-coordinator = Regionkoordinator
staff-role-distributor = Kortutdelare
staff-role-venue = Evenemang
staff-signed-in-as = Inloggad som
staff-role = Roll
staff-session-until = Sessionen upphör
staff-session-at = senast { $date } kl. { $time }
staff-tasks = Uppgifter
staff-hand-out = Dela ut ett kort
staff-invite = Bjud in en användare
staff-sign-out = Logga ut
staff-card-kind = Typ av kort
staff-kind-personal = Personligt kort
staff-kind-community = Gemenskapskort
staff-background-intro = Bakgrundsuppgifter för statistiken. Aldrig innehavarens namn.
staff-community-intro = Ett gemenskapskort hör till en organisation. Inga bakgrundsuppgifter registreras.
staff-birth-year = Födelseår
staff-birth-year-hint = Fyra siffror, till exempel 1980
staff-birth-year-empty = Skriv födelseåret.
staff-birth-year-bad = Ett födelseår är fyra siffror, till exempel 1980.
staff-birth-year-range = Födelseåret ska vara mellan 1900 och { $latest }: en innehavare är minst 16 år.
staff-gender = Kön
staff-gender-not_said = Inte angivet
staff-gender-female = Kvinna
staff-gender-male = Man
staff-gender-other = Annat
staff-mother-tongue = Modersmål
staff-tongue-not_said = Inte angivet
staff-tongue-finnish = finska
staff-tongue-swedish = svenska
staff-tongue-sami = samiska
staff-tongue-russian = ryska
staff-tongue-estonian = estniska
staff-tongue-arabic = arabiska
staff-tongue-somali = somaliska
staff-tongue-english = engelska
staff-tongue-other = annat
staff-life-situations = Livssituation (alla som passar)
staff-situation-single_parent = Ensamförälder
staff-situation-unemployed = Arbetslös
staff-situation-student = Studerande
staff-situation-pensioner = Pensionär
staff-situation-long_term_ill = Långtidssjuk
staff-situation-in_debt = Skuldsatt
staff-situation-disabled = Person med funktionsnedsättning
staff-situation-immigrant = Invandrare
staff-situation-other = Annat
staff-postal-code = Postnummer
staff-postal-code-hint = Fem siffror, till exempel 96100
staff-postal-code-bad = Ett postnummer är fem siffror, till exempel 96100.
staff-children = Minderåriga barn
staff-grandchildren = Minderåriga barnbarn
staff-minors-hint = De får egna biljetter med kortet.
staff-minors-bad = Skriv ett tal från 0 till { $max }.
staff-minors-total = Barn och barnbarn kan sammanlagt vara högst { $max }.
staff-check-fields = Kontrollera de markerade fälten. Inget skickades.
staff-saving = Sparar…
staff-hand-out-submit = Registrera kortet
staff-card-ready = Kortet är registrerat
staff-card-number = Kortnummer
staff-valid-until = Giltigt till { $date }
staff-minors-on-record = { $n ->
    [0] Inga barn registrerade
    [one] 1 barn registrerat
   *[other] { $n } barn registrerade
}
staff-print = Skriv ut
staff-to-phone = Överför till telefonen
staff-activation-title = Aktiveringskod
staff-activation-intro = I innehavarens telefon: "Mitt kort", läs sedan den här QR-koden eller skriv koden.
staff-activation-qr = QR-kod för aktiveringskoden { $code }
staff-code-expires = Koden fungerar en gång, till { $date }.
staff-hand-out-another = Dela ut ett kort till
staff-print-title = Skriv ut kortet
staff-print-hint = Kortet skrivs ut i sin rätta storlek, 85,6 × 54 mm. Välj "Spara som PDF" i utskriftsdialogen för en fil.
staff-print-now = Skriv ut
staff-back-to-card = Tillbaka till kortet
staff-print-bad-id = Det här är inget kortnummer: { $error }
staff-scope-distributor = Kortutdelare
staff-scope-venue = Evenemang
staff-scope-coordinator = Region
staff-scope-admin = Omfattning
staff-scope-none = Välj…
staff-scope-choose-distributor = Välj kortutdelaren.
staff-scope-choose-venue = Välj evenemanget.
staff-scope-choose-coordinator = Välj regionen.
staff-scope-unknown = Organisationen finns inte längre, eller så är den inte i din region.
staff-user-label = Vem är det för
staff-user-label-hint = Till exempel ett namn eller "Bibliotekets kundtjänst". Visas i användarlistor.
staff-label-empty = Skriv vem användaren är.
staff-invite-submit = Skapa inbjudan
staff-invitation-made = Inbjudningskod
staff-invitation-qr = QR-kod för inbjudningskoden { $code }
staff-my-cards = Mina kort
staff-counts-title = Kort år { $year }
staff-count-handed-out = Utdelade i år
staff-count-active = Giltiga nu
staff-count-expiring = Går ut inom 30 dagar
staff-count-revoked = Annullerade i år
staff-search-id = Kortnummer eller dess början
staff-search-hint = Till exempel A000 1000 eller hela numret
staff-search-bad = Ett kortnummer har bara bokstäver och siffror, högst 20.
staff-search-status = Status
staff-status-any = Alla
staff-status-active = Giltiga
staff-status-expired = Utgångna
staff-status-revoked = Annullerade
staff-search = Sök
staff-search-total = { $n ->
    [0] Inga kort hittades
    [one] 1 kort hittades
   *[other] { $n } kort hittades
}
staff-search-more = Visa fler
staff-state-expired = Gick ut { $date }
staff-state-revoked = Annullerat { $date }
staff-card-actions = Förnya eller annullera
staff-renew = Förnya kortet
staff-renew-hint = Ett förnyat kort gäller i 12 månader från i dag. Ett kort som redan gäller längre behåller sin längre giltighetstid.
staff-revoke-reason = Orsak till annulleringen
staff-revoke-reason-empty = Välj varför kortet annulleras.
staff-revoke = Annullera kortet

## Personalkonsolen: importera det gamla registret, ladda ner regionens (app/views/staff/import.rs, exports.rs)
staff-import = Hämta in kort från det gamla registret
staff-import-intro = En CSV-fil sparad från kalkylprogrammet, med en rubrikrad: kortnummer, utfärdad, giltig till, korttyp, bakgrundsuppgifter, minderåriga, status. Att kontrollera ändrar ingenting; importen tar in alla rader eller ingen.
staff-import-file = CSV-fil
staff-import-file-hint = Välj filen eller klistra in dess text nedan.
staff-import-file-read = Läst från { $name }. Kontrollera den nedan innan du importerar.
staff-import-text = Filens text
staff-import-empty = Välj först en fil eller klistra in dess text.
staff-import-unreadable = Filen kunde inte läsas. Spara den från kalkylprogrammet som "CSV UTF-8" och välj den igen.
staff-import-check = Kontrollera filen
staff-import-checked = Kontrollerad: ingenting har importerats ännu
staff-import-new = Nya kort
staff-import-changed = Ändrade kort
staff-import-unchanged = Redan i registret, oförändrade
staff-import-bad = { $n ->
    [one] 1 rad kan inte importeras, så ingenting importeras. Rätta den i filen och kontrollera igen.
   *[other] { $n } rader kan inte importeras, så ingenting importeras. Rätta dem i filen och kontrollera igen.
}
staff-import-bad-caption = Rader att rätta
staff-import-line = Rad
staff-import-column = Kolumn
staff-import-reason = Orsak
staff-import-whole-row = Hela raden
staff-import-fix = Rad 1 är rubrikraden. Välj eller klistra in filen igen efter rättelsen och kontrollera den.
staff-import-nothing = Alla kort i filen finns redan i registret som de är. Det finns ingenting att importera.
staff-import-run = { $n ->
    [one] Importera 1 kort
   *[other] Importera { $n } kort
}
staff-import-done = Importerat
staff-import-personal-data = Filen har en kolumn med namn eller andra personuppgifter. Namn, personbeteckningar och adresser lagras aldrig i registret: namnet skrivs för hand på kortet. Ta bort kolumnen och kontrollera filen igen. Ingenting importerades.
staff-import-invalid-csv = Filen kan inte läsas som en kortfil: { $message }. Ingenting importerades.
staff-import-too-large = Servern tog inte emot filen. Spara den som "CSV UTF-8"; om den är mycket stor, dela upp den.
staff-export-title = Ladda ner registret
staff-export-intro = Korten och deras användningar i ditt område som CSV-filer för ett kalkylprogram. Aldrig några namn.
staff-export-cards = Ladda ner korten (cards.csv)
staff-export-redemptions = Ladda ner användningarna (redemptions.csv)
staff-export-saved = { $name } är sparad ({ $rows } rader): { $at }
staff-export-not-saved = Filen hämtades men kunde inte sparas: { $reason }

## Besöksmålets vyer: evenemang och kurser, läsarenheter, användningar (app/views/staff/venue_*.rs)
staff-venue-nav = Besöksmål
staff-venue-at = { $date } kl. { $time }
staff-venue-cancel = Avbryt
staff-venue-offers = Evenemang och kurser
staff-venue-offers-intro = Vad kortet ger hos er: biljetter till evenemang och platser på kurser. Läsarna får de öppna evenemangen och kurserna när de synkroniserar.
staff-venue-offers-none = Inga evenemang eller kurser ännu.
staff-venue-offer-add = Lägg till ett evenemang eller en kurs
staff-venue-offer-edit = Redigera ett evenemang eller en kurs
staff-venue-offer-name = Namn
staff-venue-offer-name-hint = Så som personalen vid dörren ser namnet, till exempel Lördagsmatiné.
staff-venue-offer-name-empty = Skriv ett namn.
staff-venue-offer-name-long = Namnet är för långt: högst 200 tecken.
staff-venue-offer-kind = Vad kortet ger
staff-venue-offer-limit = Fria platser per dag
staff-venue-offer-limit-hint = Frivilligt. Lämna fältet tomt om det inte finns någon gräns.
staff-venue-offer-limit-bad = Skriv antalet fria platser med siffror, till exempel 20, eller lämna fältet tomt om det inte finns någon gräns.
staff-venue-offer-limit-range = Dagsgränsen är 1–100 000 platser. Lämna fältet tomt om det inte finns någon gräns. Ett evenemang eller en kurs avslutas genom att man stänger det.
staff-venue-offer-save = Spara
staff-venue-offer-closed-already = Evenemanget eller kursen har stängts och kan inte längre ändras.
staff-venue-offer-unknown = Besöksmålet har inget sådant evenemang eller någon sådan kurs.
staff-venue-no-limit = Ingen dagsgräns
staff-venue-limit = { $n ->
    [one] 1 fri plats per dag
   *[other] { $n } fria platser per dag
}
staff-venue-state = Status
staff-venue-open = Öppen
staff-venue-closed-on = Stängdes { $date }
staff-venue-edit = Redigera
staff-venue-close = Stäng
staff-venue-close-question = Vill du stänga ”{ $name }”? Läsarna slutar erbjuda evenemanget eller kursen, och stängningen kan inte ångras. Användningarna finns kvar i statistiken.
staff-venue-close-yes = Ja, stäng
staff-venue-closed-done = ”{ $name }” har stängts.
staff-venue-add-scanner = Lägg till en läsartelefon
staff-venue-add-scanner-intro = En engångskod för registrering gör en telefon eller surfplatta till läsare för ert besöksmål. Skapa koden när telefonen finns till hands: den fungerar en gång och bara en kort stund.
staff-venue-code-create = Skapa en registreringskod
staff-venue-code-another = Skapa en ny kod
staff-venue-code-made = Registreringskod
staff-venue-code-qr = QR-kod för registreringslänken med koden { $code }
staff-venue-code-how = Rikta telefonens kamera mot QR-koden och öppna länken. Eller öppna Kaiku, välj Läs kort och läs koden med kameran eller skriv in den där.
staff-venue-code-until = Fungerar en gång, till { $when }.
staff-venue-code-link = Länken, att öppna på en dator:
staff-venue-code-done = Visa besöksmålets enheter
staff-venue-devices = Läsarenheter
staff-venue-devices-none = Inga läsarenheter ännu.
staff-venue-devices-venue-only = Bara besöksmålets egna användare och administratörer kan lägga till och återkalla dess enheter.
staff-venue-device-enrolled = Togs i bruk
staff-venue-device-last-sync = Senast synkroniserad
staff-venue-device-never = Inte ännu
staff-venue-device-sent = Skickade användningar
staff-venue-device-revoked = Återkallad: enheten kan inte längre synkronisera.
staff-venue-revoke = Återkalla
staff-venue-revoke-question = Vill du återkalla ”{ $label }”? Enheten kan inte längre synkronisera eller hämta registeruppgifter. Användningar som den inte har skickat finns kvar på enheten. För att använda den igen behövs en ny kod.
staff-venue-revoke-yes = Ja, återkalla
staff-venue-revoked-done = ”{ $label }” har återkallats.
staff-venue-uses = Användningar
staff-venue-uses-intro = Hur många som kom med kortet, per evenemang eller kurs. Siffrorna kommer in när läsarna synkroniserar.
staff-venue-uses-today = I dag, { $date }
staff-venue-uses-month = Den här månaden, { $from }–{ $to }
staff-venue-uses-adults = Vuxna
staff-venue-uses-children = Barn
staff-venue-uses-total = Totalt
staff-venue-uses-all = Alla sammanlagt
staff-venue-uses-none = Inga användningar.
staff-venue-uses-closed = { $name } (har stängts)
staff-venue-uses-no-offer = { $kind } utan evenemang eller kurs

# Att starta en region och administration (setup_regions.rs, setup_orgs.rs, setup_users.rs, admin_keys.rs; invite.rs)
staff-loading-list = Hämtar listan…
staff-name-long = Namnet är för långt: högst { $max } tecken.
staff-invitation-give = Ge den här koden till personen som inbjudan gäller. I appen väljer hen ”Inloggning för personal” och sedan ”Jag har en inbjudningskod” och väljer själv sitt användarnamn och lösenord.
staff-invitation-give-to = Ge den här koden till { $who }. I appen väljer hen ”Inloggning för personal” och sedan ”Jag har en inbjudningskod” och väljer själv sitt användarnamn och lösenord.
staff-regions = Regioner
staff-regions-none = Inga regioner ännu.
staff-region-coordinators = Koordinatorer
staff-region-no-coordinator = ingen ännu
staff-invite-coordinator-of = Bjud in koordinatorn för { $region }
staff-region-new = Lägg till en region
staff-region-name = Regionens namn
staff-region-name-hint = Till exempel Rovaniemi eller Lappland.
staff-region-name-empty = Skriv regionens namn.
staff-region-create = Lägg till regionen
staff-organisations = Kortutdelare och besöksmål
staff-orgs-of = Region: { $region }
staff-distributors = Kortutdelare
staff-distributors-none = Inga kortutdelare ännu.
staff-distributor-name = Kortutdelarens namn
staff-distributor-name-hint = Till exempel Rovaniemi socialtjänst.
staff-distributor-name-empty = Skriv kortutdelarens namn.
staff-distributor-create = Lägg till kortutdelaren
staff-distributor-created = { $name } är tillagd. Bjud in dess användare under Användare.
staff-venues = Besöksmål
staff-venues-none = Inga besöksmål ännu.
staff-setup-venue-name = Besöksmålets namn
staff-setup-venue-name-hint = Till exempel Stadsteatern.
staff-setup-venue-name-empty = Skriv besöksmålets namn.
staff-setup-venue-first-offer = Dess första evenemang eller kurs
staff-setup-venue-create = Lägg till besöksmålet
staff-setup-venue-created = { $name } är tillagt med { $offer }. Bjud in dess användare under Användare.
staff-setup-venue-saved-offer-not = Besöksmålet är sparat, men inte dess evenemang eller kurs: { $reason } Kontrollera fälten och försök igen; besöksmålet läggs inte till två gånger.
staff-users = Användare
staff-users-none = Inga användare ännu.
staff-users-caption = Användarna du hanterar
staff-user-state = Inloggning
staff-user-actions = Åtgärder
staff-user-can-sign-in = Kan logga in
staff-user-invited = Inbjuden, inget lösenord ännu
staff-user-revoked = Spärrad
staff-user-reset = Ny inbjudan
staff-user-reset-for = Ny inbjudan för { $who }
staff-user-revoke = Spärra
staff-user-revoke-for = Spärra { $who }
staff-user-revoke-question = Spärra { $who }? Hen kan inte längre logga in, och alla hens inloggningar slutar fungera genast. Det här kan inte ångras.
staff-keys = Signeringsnycklar
staff-keys-intro = Den aktiva nyckeln signerar de mobila kort som aktiveras och förnyas från och med nu. Alla nycklar förblir publicerade, så kort som signerats tidigare fortsätter att fungera.
staff-keys-caption = Serverns signeringsnycklar
staff-key-id = Nyckel
staff-key-created = Tillagd
staff-key-state = Läge
staff-key-active = Signerar nya kort
staff-key-published = Publicerad
staff-key-activate-for = Signera med nyckel { $id }
staff-key-activate-question = Signera nya kort med nyckel { $id } från och med nu? Läsare som inte har synkroniserat sedan nyckeln lades till känner inte till den ännu och avvisar de korten tills de synkroniserar.
staff-key-activated = Nyckel { $id } signerar nu nya kort.
staff-key-added = Nyckel { $id } är tillagd och publicerad. Gör den till signeringsnyckel när läsarna har synkroniserat.
staff-key-new = En ny nyckel
staff-key-new-hint = En ny nyckel publiceras genast, och läsarna hämtar den vid nästa synkronisering. Den signerar ingenting förrän du gör den till signeringsnyckel.
staff-key-add = Lägg till en nyckel

# The statistics dashboard (dashboard.rs, dashboard_tables.rs, dashboard_charts.rs)
stats-title = Statistik
stats-period = Period
stats-period-kind = Vilken period
stats-kind-year = År
stats-kind-month = Månad
stats-kind-range = Tidsintervall
stats-from = Från och med
stats-to = Till och med
stats-month-hint = Till exempel 2026-03 eller 3/2026
stats-day-hint = Till exempel 2026-03-01
stats-error-year = Ett år är fyra siffror, till exempel 2026.
stats-error-month = Skriv månaden som 2026-03 eller 3/2026.
stats-error-day = Skriv dagen som 2026-03-01.
stats-error-order = Slutdagen kan inte vara före startdagen.
stats-scope = Vems siffror
stats-scope-own = Hela det egna området
stats-scope-distributors = Utdelare
stats-scope-venues = Besöksmål
stats-show = Visa siffrorna
stats-loading = Hämtar siffrorna…
stats-heading = { $period }: { $scope }
stats-period-year = År { $year }
stats-period-range = { $from } – { $to }
stats-month-year = { $month } { $year }
stats-cards-registered = Utdelade kort
stats-cards-valid = Kort som varit giltiga
stats-cards-used = Använda kort
stats-usage-rate = Användningsgrad
stats-uses = Besök
stats-adults = Vuxnas besök
stats-children = Barns besök
stats-community-uses = Gemenskapskortens användningar
stats-community-people = Personer med gemenskapskort
stats-course-places = Kursplatser
stats-month = Månad
stats-per-month = Besök per månad
stats-per-venue = Besök per besöksmål
stats-per-distributor = Utdelade kort per utdelare
stats-venue = Besöksmål
stats-distributor = Utdelare
stats-none = Inga under perioden.
stats-frequency = Hur ofta korten användes
stats-freq-times = Gånger
stats-freq-cards = Kort
stats-freq-once = En gång
stats-freq-twice = Två gånger
stats-freq-three-to-five = 3–5 gånger
stats-freq-more-than-five = Över 5 gånger
stats-cross-tab = Besök efter åldersgrupp och kön
stats-cross-tab-intro = En grupp med färre än { $n } kort visas inte för sig, så att ingen kan identifieras: sådana grupper är sammanräknade på sista raden.
stats-cross-tab-caption = Kort och besök per grupp (grupper med färre än { $n } kort sammanräknade på en rad)
stats-fewer-than = färre än { $n }
stats-by-age_band = Åldersgrupp
stats-by-gender = Kön
stats-by-mother_tongue = Modersmål
stats-by-life_situation = Livssituation
stats-by-postal_code = Postnummer
stats-csv-title = Ladda ner siffrorna
stats-csv = Ladda ner som CSV-fil
stats-csv-saved = Sparad: { $at }
stats-chart-months = Stapeldiagram: { $uses } besök under { $months } månader, flest i { $busiest } ({ $most }).
stats-chart-venues = Stapeldiagram: besök på { $count } besöksmål, flest på { $first } ({ $most }).
stats-chart-distributors = Stapeldiagram: utdelade kort hos { $count } utdelare, flest hos { $first } ({ $most }).
stats-chart-frequency = Stapeldiagram: { $once } kort användes en gång, { $more } över 5 gånger.
stats-month-1 = januari
stats-month-2 = februari
stats-month-3 = mars
stats-month-4 = april
stats-month-5 = maj
stats-month-6 = juni
stats-month-7 = juli
stats-month-8 = augusti
stats-month-9 = september
stats-month-10 = oktober
stats-month-11 = november
stats-month-12 = december
stats-month-short-1 = jan
stats-month-short-2 = feb
stats-month-short-3 = mar
stats-month-short-4 = apr
stats-month-short-5 = maj
stats-month-short-6 = jun
stats-month-short-7 = jul
stats-month-short-8 = aug
stats-month-short-9 = sep
stats-month-short-10 = okt
stats-month-short-11 = nov
stats-month-short-12 = dec
stats-month-0 = ?
stats-month-short-0 = ?

# Door: same card again and the mobile card's age (scanner door, verdict panel, device screen)
scan-ago-now = nyss
scan-ago-minutes = { $n ->
    [one] för en minut sedan
   *[other] för { $n } minuter sedan
}
scan-ago-hours = för { $n } timmar sedan
scan-ago-days = { $n ->
    [one] för en dag sedan
   *[other] för { $n } dagar sedan
}
scan-seen-here = Sågs här { $ago } (kl. { $time }): den här enheten registrerade samma kort då.
scan-credential-issued = Mobilkortets kod skapades { $ago }.
scan-credential-old = Mobilkortets kod skapades { $ago }: appen förnyar den varje gång kortet öppnas med nätförbindelse. En gammal kod kan vara en kopia: be innehavaren öppna kortet i appen.
scan-seen-window-title = Samma kort igen
scan-seen-window-label = Varningstid (minuter)
scan-seen-window-hint = Om den här enheten har registrerat samma kort inom den här tiden visas en varning vid dörren. Hela minuter från 0 till { $max }; 0 stänger av varningen. Kortet nekas aldrig på grund av detta.
scan-seen-window-save = Spara
scan-seen-window-saved = Sparat: dörren varnar om samma kort har registrerats inom { $n ->
    [one] en minut
   *[other] { $n } minuter
}.
scan-seen-window-off = Sparat: varningen är avstängd.
scan-seen-window-not-saved = Inställningen sparades inte: { $error }
scan-seen-window-not-minutes = Skriv tiden i hela minuter, till exempel 30.
scan-seen-window-too-long = Högst { $max } minuter (ett dygn).

# Betrodda nycklar och endast https-servrar (läsarens besked, serveradressfälten, nyckelhanteringen)
scan-why-retired-key = Mobilkortet är signerat med nyckel { $key }, som togs ur bruk { $from }. Be innehavaren öppna kortet i appen med nätverksanslutning: kortet får då en signatur med den nya nyckeln.
server-not-https = Använd en adress som börjar med https://. Appen skickar inga kort eller lösenord över okrypterad http, som vem som helst på vägen kan läsa och ändra (vanlig http fungerar bara för en server på den här enheten).
server-not-an-address = Det här är ingen serveradress: skriv den som https://kaiku.example.fi.
staff-key-retired = Ur bruk från { $from }
staff-key-retire-for = Ta nyckel { $id } ur bruk
staff-key-retire-title = Ta nyckel { $id } ur bruk
staff-key-retire-hint = Läsarna avvisar mobilkort som signerats med den här nyckeln från den dag du väljer, när de har synkroniserat. Innehavarens kort får en ny signatur med den aktiva nyckeln nästa gång innehavarens app uppdaterar kortet. Ta en nyckel som kan ha läckt ur bruk från i dag.
staff-key-retire-from = Korten avvisas från
staff-key-retire-date-empty = Välj dagen från vilken nyckelns kort avvisas.
staff-key-retire-question = Ta nyckel { $id } ur bruk från { $from }? Det går inte att ångra.
staff-key-retire-yes = Ta nyckel { $id } ur bruk
staff-key-retired-done = Nyckel { $id } är ur bruk från { $from }. Läsarna får veta det vid nästa synkronisering.
staff-key-endorsed-by = bekräftad av nyckel { $id }

# Uses to check and the holder's refresh secret (card screen, staff uses-to-check screens)
status-needs-activation = Den här telefonen kan inte längre uppdatera kortet: kortet måste aktiveras på nytt. Be om en ny aktiveringskod där du fick kortet. Kortet finns kvar i telefonen under tiden.
staff-checks = Användningar att kontrollera
staff-checks-intro = Samma kort lästes av två olika läsarenheter inom kort tid. Det kan vara en delad kopia av ett mobilkort eller ett misstag vid dörren. Inget nekades: titta noga på kortet nästa gång det visas. Endast kortnummer visas.
staff-checks-none = Inga användningar att kontrollera under de senaste 90 dagarna.
staff-checks-count = { $n ->
    [one] En användning
   *[other] { $n } användningar
} att kontrollera under de senaste 90 dagarna, de senaste först.
staff-checks-card = Kort { $card }
staff-checks-apart = { $minutes ->
    [one] 1 minut
   *[other] { $minutes } minuter
} mellan användningarna
staff-checks-scan = { $venue }, läsarenhet ”{ $device }”: { $offer }

# A busy server (429, or 503 with Retry-After): activation, console, scanner sync and enrollment
error-busy = Servern får för många förfrågningar just nu. Försök igen om { $wait }.
scan-sync-busy = servern är överbelastad. Inget har gått förlorat: synkronisera igen om { $wait }.

# Statistics that cannot be differenced (statistics dashboard)
stats-kind-months = Månadsintervall
stats-rounded-note = För att skydda integriteten är talen avrundade till närmaste fem, och 1–4 visas som ”färre än 5”. Procenten är beräknade på de avrundade talen.
stats-other-groups = Mindre grupper sammanlagt
stats-between = { $from }–{ $to }

# The server says this device's clock is ahead (scanner status bar)
scan-clock-ahead = { $minutes ->
    [one] Telefonens klocka går ungefär en minut före: ställ in rätt tid i telefonens inställningar.
   *[other] Telefonens klocka går ungefär { $minutes } minuter före: ställ in rätt tid i telefonens inställningar.
}

# Gate mode and undo at the door (scanner door, device screen)
scan-gate-title = Grindläge
scan-gate-hint = För festivaler och dörrar med kö. Ett giltigt kort utan något att välja (en vuxen, inga barn registrerade) registreras direkt med en bock och ett ljud, och kameran är redo för nästa person. Registrerade barn, gemenskapskort, ett kort som nyss setts här samt overifierade och ogiltiga kort stannar fortfarande för dig.
scan-gate-switch = Registrera vanliga kort direkt
scan-gate-is-on = Grindläget är på i den här enheten.
scan-gate-is-off = Grindläget är av: varje kort väntar på att du trycker.
scan-gate-not-saved = Inställningen sparades inte: { $error }
scan-gate-badge = grindläge
scan-gate-choose-offer = Grindläget registrerar direkt först när evenemanget eller kursen är vald: välj den ovan.
scan-undo = Ångra ({ $seconds } s)
scan-undone = Ångrat: { $summary }. Rättelsen är registrerad och skickas; den räknas inte.
scan-undo-failed = Inte ångrat: { $reason }
