app-name = Kaiku
app-tagline = Kaikukortti
skip-to-content = Siirry sisältöön
nav-start = Kaiku, alkuun
language = Kieli
text-size = Tekstin koko
text-smaller = Pienempi teksti
text-larger = Suurempi teksti
text-size-now = Tekstin koko { $percent } %

start-question = Mitä haluat tehdä?
start-holder = Oma korttini
start-holder-hint = Näytä Kaikukorttisi ovella
start-scanner = Lue kortteja
start-scanner-hint = Kohteiden henkilökunnalle ja vapaaehtoisille

activate-title = Ota kortti käyttöön
activate-intro = Kirjoita aktivointikoodi, jonka sait palvelusta, josta sait kortin.
activate-code = Aktivointikoodi
activate-code-hint = Esimerkiksi 7K2M-QX4P-9RTB
activate-name = Nimesi (vapaaehtoinen)
activate-name-hint = Nimi näkyy vain tässä puhelimessa. Sitä ei lähetetä minnekään.
activate-advanced = Palvelimen asetukset
activate-server = Palvelimen osoite
activate-submit = Ota kortti käyttöön
activate-working = Otetaan käyttöön…
activate-camera = Lue QR-koodi kameralla
read-activation-title = Lue aktivointikoodi
read-activation-intro = Pidä sinulle näytettyä QR-koodia kameran edessä. Aktivointi avautuu koodi valmiiksi täytettynä.
read-activation-camera-label = Kameran kuva aktivointikoodin lukemiseen
read-activation-on = Kamera päällä: pidä aktivointikoodin QR-koodia kameran edessä.
read-activation-card = Tämä on kortin oma koodi, ei aktivointikoodi. Näytä aktivointikoodin QR-koodi.
read-activation-other = Tämä QR-koodi ei ole aktivointikoodi. Näytä aktivointikoodin QR-koodi.
read-activation-none = Laitteessa ei ole kameraa: kirjoita aktivointikoodi.
read-activation-denied = Kameraa ei saa käyttää. Salli se selaimen tai puhelimen asetuksista tai kirjoita koodi.
read-activation-failed = Kamera ei toimi ({ $error }). Kirjoita aktivointikoodi.
read-activation-type = Kirjoita koodi
error-code-empty = Kirjoita ensin aktivointikoodi.
error-code-unknown = Aktivointikoodia ei löydy. Tarkista koodi ja yritä uudelleen.
error-code-gone = Koodi on jo käytetty tai vanhentunut. Pyydä uusi koodi sieltä, mistä sait kortin.
error-network = Ei verkkoyhteyttä. Yritä uudelleen, kun olet verkossa.
error-server = Palvelimella tapahtui virhe ({ $status }). Yritä myöhemmin uudelleen.
error-storage = Korttia ei voitu tallentaa tähän laitteeseen: { $reason }

card-title = Kaikukortti
card-none = Tässä laitteessa ei ole vielä korttia.
card-activate = Ota kortti käyttöön
card-qr-label = Kortin { $id } QR-koodi ovella luettavaksi
card-barcode-label = Kortin numeron { $id } viivakoodi
card-number = Kortin numero
card-holder = Haltija
card-kind-personal = Henkilökohtainen kortti
card-kind-community = Yhteisökortti: { $organisation }
card-kind-community-plain = Yhteisökortti
card-valid-until = Voimassa { $date } asti
card-children = { $count ->
    [0] Ei lasten lippuja rekisterissä
    [one] Lipun saa yksi lapsi
   *[other] Lipun saa { $count } lasta
}
card-live = Elävä kortti, kello nyt { $time }
card-expires-soon = { $days ->
    [one] Korttisi vanhenee huomenna. Uusi se siellä, mistä sait kortin.
   *[other] Korttisi vanhenee { $days } päivän päästä. Uusi se siellä, mistä sait kortin.
}
card-expires-today = Korttisi vanhenee tänään. Uusi se siellä, mistä sait kortin.
card-expired = Korttisi vanheni { $date }. Sen voi uusia siellä, mistä sait kortin.
card-revoked = Kortti on peruttu { $date }. Pyydä uusi kortti sieltä, mistä sait sen.
card-remove = Poista kortti tästä laitteesta
card-remove-confirm = Poistetaanko? Tarvitset uuden aktivointikoodin lisätäksesi sen uudelleen.
status-checked = Tila tarkistettu { $when }
status-never = Tilaa ei ole vielä tarkistettu
status-refresh = Tarkista tila nyt
status-refreshing = Tarkistetaan…
status-offline = Ei verkkoa: näytetään laitteeseen tallennettu kortti
status-not-in-register = Korttia ei enää löydy korttirekisteristä, joten kohteet eivät välttämättä hyväksy sitä. Kortti säilyy tässä puhelimessa. Ota yhteyttä sinne, mistä sait kortin: siellä kerrotaan syy ja mitä voit tehdä.
when-just-now = juuri nyt
when-minutes = { $n } min sitten
when-hours = { $n } t sitten
when-days = { $n ->
    [one] päivä sitten
   *[other] { $n } päivää sitten
}

scanner-title = Lue kortteja

## Lukijatila: kohteen henkilökunta ovella
scan-opening = Avataan lukijaa…
scan-store-problem = Lukijan tallennustilaa ei voi avata tässä laitteessa ({ $error }). Mitään ei voi kirjata. Sulje sovellus ja avaa se uudelleen; jos vika jatkuu, vapauta laitteesta tilaa.
scan-store-retry = Yritä uudelleen
scan-nav-label = Lukija
scan-tab-door = Ovi
scan-tab-history = Tänään
scan-tab-device = Laite
scan-venue = Kohde: { $venue }
scan-welcome = Tämä laite lukee nyt kortteja kohteelle { $venue }.
scan-not-enrolled = Tätä laitetta ei ole otettu käyttöön lukijana.

scan-enroll-title = Ota laite käyttöön lukijana
scan-enroll-intro = Kohteen käyttäjä luo rekisterissä kertakäyttöisen käyttöönottokoodin. Kirjoita se tähän tai lue sen QR-koodi kameralla.
scan-enroll-was = Tämä laite luki aiemmin kortteja kohteelle { $venue }. Sen loki on tallessa.
scan-enroll-code = Käyttöönottokoodi
scan-enroll-code-hint = 12 merkkiä, esimerkiksi 7K2M-QX4P-9RTB. Välilyönneillä ja viivoilla ei ole väliä.
scan-enroll-label = Laitteen nimi
scan-enroll-label-hint = Jotta kohde erottaa laitteensa toisistaan, esimerkiksi Pääovi.
scan-enroll-label-default = Ovilukija
scan-enroll-submit = Ota laite käyttöön
scan-enroll-working = Otetaan käyttöön…
scan-enroll-empty = Kirjoita ensin käyttöönottokoodi.
scan-enroll-bad-char = Käyttöönottokoodeissa ei käytetä merkkiä ”{ $found }”. Tarkista koodi.
scan-enroll-length = Käyttöönottokoodissa on 12 merkkiä, tässä { $n }.
scan-enroll-unknown = Käyttöönottokoodia ei löydy. Tarkista koodi ja kirjoita se uudelleen.
scan-enroll-gone = Koodi on jo käytetty tai vanhentunut. Pyydä kohteen käyttäjältä uusi koodi.
scan-enroll-refused = Palvelin hylkäsi käyttöönoton ({ $status }): { $message }
scan-enroll-first-pull = Laite on otettu käyttöön, mutta rekisteritietoja ei vielä saatu ladattua. Kortit päästetään sisään tarkistamatta, kunnes laite synkronoi.
scan-enroll-already = Tämä laite on jo kohteen { $venue } lukija.
scan-enroll-store = Käyttöönottoa ei voitu tallentaa tähän laitteeseen: { $error }
scan-enroll-scan = Lue koodi kameralla
scan-enroll-scan-cancel = Sulje kamera
scan-enroll-camera-label = Kameranäkymä käyttöönottokoodin lukemiseen
scan-enroll-camera-on = Kamera päällä: näytä kameralle rekisterissä näkyvä käyttöönottokoodin QR-koodi.
scan-enroll-qr-read = Koodi luettiin QR-koodista: tarkista se ja paina ”Ota laite käyttöön”.
scan-enroll-qr-card = Tämä on Kaikukortin koodi, ei käyttöönottokoodi. Näytä kameralle rekisterissä näkyvä käyttöönottokoodin QR-koodi.
scan-enroll-qr-other = Tämä QR-koodi ei ole käyttöönottokoodi. Näytä kameralle rekisterissä näkyvä käyttöönottokoodin QR-koodi.
scan-enroll-camera-none = Laitteessa ei ole kameraa: kirjoita koodi Käyttöönottokoodi-kenttään.
scan-enroll-camera-denied = Kameran käyttöä ei ole sallittu. Salli se selaimen tai laitteen asetuksista tai kirjoita koodi Käyttöönottokoodi-kenttään.
scan-enroll-camera-busy = Kamera on toisen sovelluksen käytössä. Sulje se tai kirjoita koodi Käyttöönottokoodi-kenttään.
scan-enroll-camera-failed = Kamera ei toimi ({ $error }). Kirjoita koodi Käyttöönottokoodi-kenttään.

scan-offer = Tapahtuma tai kurssi
scan-offer-ticket = Lippu
scan-offer-course = Kurssipaikka
scan-offer-used = Tänään käytetty { $used }/{ $limit } maksutonta paikkaa

scan-camera-label = Kameranäkymä korttien koodien lukemiseen
scan-camera-starting = Kamera käynnistyy…
scan-camera-on = Kamera päällä: näytä kortin koodi kameralle.
scan-camera-none = Laitteessa ei ole kameraa: kirjoita kortin numero alle.
scan-camera-denied = Kameran käyttöä ei ole sallittu. Salli se selaimen tai laitteen asetuksista tai kirjoita kortin numero alle.
scan-camera-busy = Kamera on toisen sovelluksen käytössä. Sulje se tai kirjoita kortin numero alle.
scan-camera-failed = Kamera ei toimi ({ $error }). Kirjoita kortin numero alle.
scan-camera-retry = Yritä kameraa uudelleen
scan-torch-on = Valo päälle
scan-torch-off = Valo pois
scan-switch-camera = Vaihda kameraa (etu / taka)

scan-manual-label = Kirjoita kortin numero
scan-manual-check = Tarkista
scan-manual-add = Lisää
scan-manual-empty = Kirjain ja yhdeksän numeroa, esimerkiksi A000 1000 09.
scan-manual-keep-typing = Jatka kirjoittamista: { $typed }/10 merkkiä.
scan-manual-complete = Valmis, kelvollinen kortin numero.
scan-manual-printed-or-more = Painetun kortin numero, tai jatka: { $typed }/10 merkkiä.
scan-manual-printed = Painetun kortin numero: tarkistetaan rekisteristä.
scan-manual-not-kaiku = Ei Kaiku-numero (tarkistusnumero): haetaan painetun kortin numerona.
scan-manual-bad-letter = Kortin numero alkaa kirjaimella, ei ”{ $found }”.
scan-manual-not-digit = Merkin { $position } pitää olla numero, ei ”{ $found }”.
scan-manual-too-long = Liian pitkä kortin numeroksi ({ $typed } merkkiä).
scan-manual-credential = Mobiilikortin koodi: paina Tarkista.

scan-verdict-admit = Kelpaa: päästä sisään
scan-verdict-flagged = Päästä sisään: ei varmistettu
scan-verdict-refuse = Ei kelpaa: ei maksutonta sisäänpääsyä
scan-verdict-card = Kortti { $id }
scan-why-signed = Tarkistettu allekirjoitetusta mobiilikortista.
scan-why-register = Tarkistettu rekisteritiedoista ({ $date }).
scan-why-no-copy = Laitteessa ei ole vielä rekisteritietoja, joten korttia ei voi tarkistaa ilman verkkoa. Se tarkistetaan, kun laite synkronoi.
scan-why-not-in-copy = Korttia ei ole laitteen rekisteritiedoissa ({ $date }). Se tarkistetaan, kun laite synkronoi.
scan-why-stale = Laitteen rekisteritiedot ovat vanhoja ({ $date }). Kortti tarkistetaan, kun laite synkronoi.
scan-why-expired = Vanhentunut { $date }. Kortin voi uusia siellä, mistä se on saatu.
scan-why-revoked = Peruttu { $date }: { $reason }.
scan-revoked-lost = ilmoitettu kadonneeksi
scan-revoked-stolen = ilmoitettu varastetuksi
scan-revoked-misuse = väärinkäyttö
scan-revoked-replaced = korvattu uudella kortilla
scan-why-not-registered = Korttia ei ole rekisteröity, joten sitä ei voi vielä käyttää.
scan-why-not-registered-printed = Ei rekisteröity: pyydä kortin haltijaa ottamaan yhteyttä paikkaan, josta hän sai kortin.
scan-why-did-you-mean = Tarkoititko { $id }? Tarkista kortissa oleva numero.
scan-check-suggested = Tarkista { $id }
scan-why-community-course = Yhteisökortilla ei saa kurssipaikkoja.
scan-why-empty = Mitään ei luettu.
scan-why-not-a-card = Tämä ei ole Kaikukortin koodi.
scan-why-bad-check = Näyttää kortin numerolta, mutta tarkistusnumero ei täsmää. Katso korttia uudelleen.
scan-why-bad-form = Näyttää kortin numerolta, mutta muoto on väärä (kirjaimet ja sitten numerot, kuten kortissa).
scan-why-unknown-key = Mobiilikortti on allekirjoitettu avaimella, jota laite ei tunne: se voi olla väärennös. Synkronoi laite ja lue kortti uudelleen.
scan-why-bad-signature = Mobiilikortin allekirjoitus ei täsmää: koodia on muutettu tai se on väärennetty.
scan-why-new-version = Mobiilikortti on uudemmasta sovellusversiosta. Päivitä tämä sovellus.
scan-why-damaged = Mobiilikortin koodi on vioittunut tai vajaa. Pyydä haltijaa avaamaan kortti uudelleen tai kirjoita kortin numero.
scan-decide-failed = Laitteen rekisteritietoja ei voi lukea: { $error }
scan-hold-note = Kirjaa tämä kortti tai paina Seuraava ennen seuraavan kortin lukemista.
scan-next = Seuraava

scan-record-one-ticket = Kirjaa 1 lippu
scan-record-course = Kirjaa 1 kurssipaikka
scan-record-tickets = Kirjaa { $count } lippua
scan-recording = Kirjataan…
scan-recorded = Kirjattu: { $summary }
scan-record-failed = Ei kirjattu: { $reason } Mitään ei menetetty; korjaa ja yritä uudelleen.
scan-adults = { $n ->
    [one] 1 aikuinen
   *[other] { $n } aikuista
}
scan-children = { $n ->
    [one] 1 lapsi
   *[other] { $n } lasta
}
scan-children-label = Lasten liput
scan-children-less = Yksi lapsi vähemmän
scan-children-more = Yksi lapsi lisää
scan-children-max = Enintään { $max }: rekisterissä olevat lapset.
scan-children-course = Kurssipaikan kanssa ei anneta lasten lippuja.
scan-children-unverified = Ei varmistettu: rekisterissä olevien lasten määrää ei tiedetä täällä. Palvelin tarkistaa määrän.
scan-group-title = Ryhmän jäsenet, jokaisella oma kortti
scan-group-needed = Yhteisökortilla tarvitaan vähintään yksi ryhmän jäsen, jolla on oma kortti.
scan-group-unverified-hint = Vain yhteisökortille: lisää jokaisen jäsenen oma kortti.
scan-add-member = Lisää ryhmän jäsen
scan-member-scan = Lue jäsenen oma kortti tai kirjoita sen numero.
scan-member-done = Valmis
scan-member-remove = Poista { $id }
scan-member-added = Lisätty { $id }.
scan-member-community = { $id } on yhteisökortti: jokaisella jäsenellä pitää olla oma henkilökohtainen kortti.
scan-member-twice = { $id } on jo ryhmässä.
scan-member-self = { $id } on itse yhteisökortti.
scan-member-full = Ryhmä on täynnä ({ $max } jäsentä).
scan-member-refused = { $id } ei kelpaa: { $reason }
scan-rule-group-personal = Henkilökohtaisella kortilla ei ole ryhmää: lue jokaisen jäsenen oma kortti.
scan-rule-too-many-children = { $asked } lasten lippua, mutta kortilla on rekisterissä { $max } lasta.
scan-store-failed = laitteen tallennus epäonnistui ({ $error }).

scan-status-label = Synkronoinnin tila
scan-pending = { $n ->
    [0] Kaikki käyttökerrat lähetetty
    [one] 1 käyttökerta odottaa lähetystä
   *[other] { $n } käyttökertaa odottaa lähetystä
}
scan-register-age = Rekisteritiedot päivitetty { $when }
scan-register-never = Rekisteritietoja ei ole vielä ladattu
scan-sync-never = Ei vielä synkronoitu
scan-sync-ok = { $sent ->
    [0] Synkronoitu klo { $time }
   *[other] Synkronoitu klo { $time }: { $sent } lähetetty
}
scan-sync-failed = Synkronointi epäonnistui klo { $time }: { $reason }
scan-sync-network = ei verkkoyhteyttä. Kirjaaminen jatkuu; kaikki lähetetään myöhemmin.
scan-sync-timeout = palvelin ei vastannut ajoissa.
scan-sync-unauthorised = palvelin ei enää hyväksy tätä laitetta. Ota laite uudelleen käyttöön.
scan-sync-refused = palvelin kieltäytyi ({ $status }): { $message }
scan-sync-server = palvelinvirhe ({ $status }).
scan-sync-now = Synkronoi nyt
scan-syncing = Synkronoidaan…
scan-attention = { $n ->
    [one] 1 käyttökerta vaatii huomiota
   *[other] { $n } käyttökertaa vaatii huomiota
}
scan-attention-hint = Palvelin hylkäsi nämä. Ne säilyvät tässä laitteessa. Kerro asiasta kohteen yhteyshenkilölle.

scan-history-title = Tämän päivän käyttökerrat
scan-history-none = Tänään ei ole vielä kirjattu mitään.
scan-history-counts = Tapahtumittain ja kursseittain
scan-history-count = { $count ->
    [one] 1 käyttökerta
   *[other] { $count } käyttökertaa
}, { $people ->
    [one] 1 henkilö
   *[other] { $people } henkilöä
}
scan-history-list = Kaikki käyttökerrat, uusin ensin
scan-history-group = Ryhmä: { $ids }
scan-history-unverified = Päästetty sisään ovella tarkistamatta.
scan-state-pending = Odottaa lähetystä
scan-state-sent = Lähetetty
scan-state-rejected = Palvelin hylkäsi: { $reason }

scan-device-title = Tämä lukijalaite
scan-device-id = Laitteen numero { $id }
scan-device-server = Palvelin: { $server }
scan-unenroll = Lopeta laitteen käyttö lukijana
scan-unenroll-hint = Laite unohtaa avaimensa palvelimelle. Käyttökertojen loki säilyy laitteessa.
scan-unenroll-unsynced = { $n ->
    [one] 1 käyttökerta on vielä lähettämättä. Synkronoi ensin. Jos lopetat nyt, se säilyy tässä laitteessa, mutta sitä ei voi lähettää ennen kuin laite otetaan uudelleen käyttöön.
   *[other] { $n } käyttökertaa on vielä lähettämättä. Synkronoi ensin. Jos lopetat nyt, ne säilyvät tässä laitteessa, mutta niitä ei voi lähettää ennen kuin laite otetaan uudelleen käyttöön.
}
scan-unenroll-keep = Lopeta silti ja säilytä ne laitteessa
scan-unenroll-done = Laite ei ole enää lukija. Sen loki on tallessa.
scan-unenroll-failed = Lopettaminen ei onnistunut: { $error }

## Staff console (app/views/staff/)
start-staff = Henkilökunnan kirjautuminen
start-staff-hint = Kortinjakajille, kohteille, koordinaattoreille ja ylläpitäjille
staff-console = Henkilökunnan työpöytä
staff-loading = Avataan henkilökunnan työpöytää…
staff-sign-in-title = Henkilökunnan kirjautuminen
staff-username = Käyttäjätunnus
staff-password = Salasana
staff-username-empty = Kirjoita käyttäjätunnuksesi.
staff-password-empty = Kirjoita salasanasi.
staff-sign-in = Kirjaudu sisään
staff-signing-in = Kirjaudutaan…
staff-have-invitation = Minulla on kutsukoodi
staff-have-password = Minulla on jo salasana: kirjaudu sisään
staff-not-kept = Olet kirjautunut, mutta laite ei voinut tallentaa istuntoa: { $reason }
staff-wait-seconds = { $n ->
    [one] 1 sekunnin
   *[other] { $n } sekunnin
}
staff-wait-minutes = { $n ->
    [one] 1 minuutin
   *[other] { $n } minuutin
}
staff-error-wrong-credentials = Käyttäjätunnus tai salasana on väärin. Salasanassa isot ja pienet kirjaimet ovat eri merkkejä.
staff-error-locked = Tili on lukittu liian monen väärän salasanan jälkeen. Yritä uudelleen { $wait } kuluttua.
staff-error-slow-down = Liian monta epäonnistunutta kirjautumista. Yritä uudelleen { $wait } kuluttua.
staff-session-ended = Istuntosi on päättynyt. Kirjaudu uudelleen.
staff-error-invitation-used = Tämä kutsu on jo käytetty. Pyydä uusi kutsu siltä, joka kutsui sinut.
staff-error-invitation-expired = Tämä kutsu on vanhentunut tai korvattu uudella. Pyydä uusi kutsu siltä, joka kutsui sinut.
staff-error-invitation-unknown = Tällaista kutsukoodia ei ole. Tarkista koodi ja kirjoita se uudelleen.
staff-error-username-taken = Käyttäjätunnus on jo jonkun toisen käytössä. Valitse toinen.
staff-error-forbidden = Roolisi ei salli tätä.
staff-error-refused = Palvelin hylkäsi pyynnön: { $message }
staff-signed-out = Olet kirjautunut ulos.
staff-signed-out-offline = Olet kirjautunut ulos tältä laitteelta. Palvelimeen ei saatu yhteyttä, joten istunto päättyy siellä vanhentuessaan.
staff-invitation-title = Hyväksy kutsu
staff-invitation-intro = Kirjoita saamasi koodi ja valitse sitten käyttäjätunnus ja salasana.
staff-invitation-code = Kutsukoodi
staff-invitation-code-empty = Kirjoita kutsukoodi.
staff-username-hint = 3–100 kirjainta, numeroa tai merkkejä . _ - @ +. Sähköpostiosoite käy.
staff-username-length = Käyttäjätunnuksessa on 3–100 merkkiä.
staff-username-chars = Käyttäjätunnuksessa saa olla vain kirjaimia, numeroita ja merkkejä . _ - @ +
staff-new-password = Uusi salasana
staff-new-password-hint = Vähintään { $min } merkkiä. Muutama sana peräkkäin on helppo muistaa.
staff-new-password-again = Uusi salasana uudelleen
staff-password-short = Salasana on liian lyhyt: vähintään { $min } merkkiä.
staff-password-long = Salasana on liian pitkä: enintään { $max } merkkiä.
staff-password-is-username = Salasana ei voi olla käyttäjätunnuksesi.
staff-password-mismatch = Salasanat eivät ole samat.
staff-invitation-submit = Aseta salasana ja kirjaudu
staff-role-admin = Ylläpitäjä
staff-role-coordinator = Alueen koordinaattori
staff-role-distributor = Kortinjakaja
staff-role-venue = Kohde
staff-signed-in-as = Kirjautuneena
staff-role = Rooli
staff-session-until = Istunto päättyy
staff-session-at = viimeistään { $date } klo { $time }
staff-tasks = Tehtävät
staff-hand-out = Anna kortti
staff-invite = Kutsu käyttäjä
staff-sign-out = Kirjaudu ulos
staff-card-kind = Kortin laji
staff-kind-personal = Henkilökohtainen kortti
staff-kind-community = Yhteisökortti
staff-background-intro = Taustatiedot tilastoja varten. Ei koskaan haltijan nimeä.
staff-community-intro = Yhteisökortti kuuluu organisaatiolle. Taustatietoja ei kirjata.
staff-birth-year = Syntymävuosi
staff-birth-year-hint = Neljä numeroa, esimerkiksi 1980
staff-birth-year-empty = Kirjoita syntymävuosi.
staff-birth-year-bad = Syntymävuosi on neljä numeroa, esimerkiksi 1980.
staff-birth-year-range = Syntymävuoden on oltava välillä 1900–{ $latest }: haltija on vähintään 16-vuotias.
staff-gender = Sukupuoli
staff-gender-not_said = Ei kerrottu
staff-gender-female = Nainen
staff-gender-male = Mies
staff-gender-other = Muu
staff-mother-tongue = Äidinkieli
staff-tongue-not_said = Ei kerrottu
staff-tongue-finnish = suomi
staff-tongue-swedish = ruotsi
staff-tongue-sami = saame
staff-tongue-russian = venäjä
staff-tongue-estonian = viro
staff-tongue-arabic = arabia
staff-tongue-somali = somali
staff-tongue-english = englanti
staff-tongue-other = muu
staff-life-situations = Elämäntilanne (kaikki sopivat)
staff-situation-single_parent = Yksinhuoltaja
staff-situation-unemployed = Työtön
staff-situation-student = Opiskelija
staff-situation-pensioner = Eläkeläinen
staff-situation-long_term_ill = Pitkäaikaissairas
staff-situation-in_debt = Velkaantunut
staff-situation-disabled = Vammainen
staff-situation-immigrant = Maahanmuuttaja
staff-situation-other = Muu
staff-postal-code = Postinumero
staff-postal-code-hint = Viisi numeroa, esimerkiksi 96100
staff-postal-code-bad = Postinumero on viisi numeroa, esimerkiksi 96100.
staff-children = Alaikäiset lapset
staff-grandchildren = Alaikäiset lapsenlapset
staff-minors-hint = He saavat kortilla omat lippunsa.
staff-minors-bad = Kirjoita luku 0–{ $max }.
staff-minors-total = Lapsia ja lapsenlapsia voi olla yhteensä enintään { $max }.
staff-check-fields = Tarkista merkityt kentät. Mitään ei lähetetty.
staff-saving = Tallennetaan…
staff-hand-out-submit = Rekisteröi kortti
staff-card-ready = Kortti on rekisteröity
staff-card-number = Kortin numero
staff-valid-until = Voimassa { $date } asti
staff-minors-on-record = { $n ->
    [0] Ei lapsia kirjattuna
    [one] 1 lapsi kirjattuna
   *[other] { $n } lasta kirjattuna
}
staff-print = Tulosta
staff-to-phone = Siirrä puhelimeen
staff-activation-title = Aktivointikoodi
staff-activation-intro = Haltijan puhelimessa: "Oma korttini", sitten lue tämä QR-koodi tai kirjoita koodi.
staff-activation-qr = Aktivointikoodin { $code } QR-koodi
staff-code-expires = Koodi toimii kerran, { $date } asti.
staff-hand-out-another = Anna toinen kortti
staff-print-title = Tulosta kortti
staff-print-hint = Kortti tulostuu oikeassa koossaan, 85,6 × 54 mm. Saat tiedoston valitsemalla tulostusikkunassa "Tallenna PDF-muodossa".
staff-print-now = Tulosta
staff-back-to-card = Takaisin korttiin
staff-print-bad-id = Tämä ei ole kortin numero: { $error }
staff-scope-distributor = Kortinjakaja
staff-scope-venue = Kohde
staff-scope-coordinator = Alue
staff-scope-admin = Laajuus
staff-scope-none = Valitse…
staff-scope-choose-distributor = Valitse kortinjakaja.
staff-scope-choose-venue = Valitse kohde.
staff-scope-choose-coordinator = Valitse alue.
staff-scope-unknown = Tätä organisaatiota ei enää ole, tai se ei ole alueellasi.
staff-user-label = Kenelle
staff-user-label-hint = Esimerkiksi nimi tai "Kirjaston asiakaspalvelu". Näkyy käyttäjäluetteloissa.
staff-label-empty = Kirjoita, kuka käyttäjä on.
staff-invite-submit = Luo kutsu
staff-invitation-made = Kutsukoodi
staff-invitation-qr = Kutsukoodin { $code } QR-koodi
staff-my-cards = Omat kortit
staff-counts-title = Kortit vuonna { $year }
staff-count-handed-out = Annettu tänä vuonna
staff-count-active = Voimassa nyt
staff-count-expiring = Vanhenee 30 päivän sisällä
staff-count-revoked = Peruttu tänä vuonna
staff-search-id = Kortin numero tai sen alku
staff-search-hint = Esimerkiksi A000 1000 tai koko numero
staff-search-bad = Kortin numerossa on vain kirjaimia ja numeroita, enintään 20.
staff-search-status = Tila
staff-status-any = Kaikki
staff-status-active = Voimassa
staff-status-expired = Vanhentunut
staff-status-revoked = Peruttu
staff-search = Hae
staff-search-total = { $n ->
    [0] Kortteja ei löytynyt
    [one] 1 kortti löytyi
   *[other] { $n } korttia löytyi
}
staff-search-more = Näytä lisää
staff-state-expired = Vanhentunut { $date }
staff-state-revoked = Peruttu { $date }
staff-card-actions = Uusi tai peru
staff-renew = Uusi kortti
staff-renew-hint = Uusittu kortti on voimassa 12 kuukautta tästä päivästä. Jos kortti on jo voimassa pidempään, pidempi voimassaolo säilyy.
staff-revoke-reason = Perumisen syy
staff-revoke-reason-empty = Valitse, miksi kortti perutaan.
staff-revoke = Peru kortti

## Henkilökunnan konsoli: vanhan rekisterin tuonti, alueen tietojen lataus (app/views/staff/import.rs, exports.rs)
staff-import = Tuo kortit vanhasta rekisteristä
staff-import-intro = Taulukko-ohjelmasta tallennettu CSV-tiedosto, jossa on otsikkorivi: kortin numero, myönnetty, voimassa asti, korttityyppi, taustatiedot, alaikäiset, tila. Tarkistus ei muuta mitään; tuonti tuo kaikki rivit tai ei yhtään.
staff-import-file = CSV-tiedosto
staff-import-file-hint = Valitse tiedosto tai liitä sen teksti alle.
staff-import-file-read = Luettu tiedostosta { $name }. Tarkista se alla ennen tuontia.
staff-import-text = Tiedoston teksti
staff-import-empty = Valitse ensin tiedosto tai liitä sen teksti.
staff-import-unreadable = Tiedostoa ei voitu lukea. Tallenna se taulukko-ohjelmasta muodossa "CSV UTF-8" ja valitse se uudelleen.
staff-import-check = Tarkista tiedosto
staff-import-checked = Tarkistettu: mitään ei ole vielä tuotu
staff-import-new = Uusia kortteja
staff-import-changed = Muuttuneita kortteja
staff-import-unchanged = Jo rekisterissä, ennallaan
staff-import-bad = { $n ->
    [one] 1 riviä ei voi tuoda, joten mitään ei tuoda. Korjaa se tiedostoon ja tarkista uudelleen.
   *[other] { $n } riviä ei voi tuoda, joten mitään ei tuoda. Korjaa ne tiedostoon ja tarkista uudelleen.
}
staff-import-bad-caption = Korjattavat rivit
staff-import-line = Rivi
staff-import-column = Sarake
staff-import-reason = Syy
staff-import-whole-row = Koko rivi
staff-import-fix = Rivi 1 on otsikkorivi. Valitse tai liitä tiedosto korjauksen jälkeen uudelleen ja tarkista se.
staff-import-nothing = Kaikki tiedoston kortit ovat jo rekisterissä sellaisinaan. Tuotavaa ei ole.
staff-import-run = { $n ->
    [one] Tuo 1 kortti
   *[other] Tuo { $n } korttia
}
staff-import-done = Tuotu
staff-import-personal-data = Tiedostossa on nimien tai muiden henkilötietojen sarake. Nimiä, henkilötunnuksia ja osoitteita ei koskaan tallenneta rekisteriin: nimi kirjoitetaan korttiin käsin. Poista sarake ja tarkista tiedosto uudelleen. Mitään ei tuotu.
staff-import-invalid-csv = Tiedostoa ei voi lukea korttitiedostona: { $message }. Mitään ei tuotu.
staff-import-too-large = Palvelin ei hyväksynyt tiedostoa. Tallenna se muodossa "CSV UTF-8"; jos se on hyvin suuri, jaa se osiin.
staff-export-title = Lataa rekisteri
staff-export-intro = Alueesi kortit ja niiden käyttökerrat CSV-tiedostoina taulukko-ohjelmaan. Ei koskaan nimiä.
staff-export-cards = Lataa kortit (cards.csv)
staff-export-redemptions = Lataa käyttökerrat (redemptions.csv)
staff-export-saved = { $name } on tallennettu ({ $rows } riviä): { $at }
staff-export-not-saved = Tiedosto haettiin, mutta sitä ei voitu tallentaa: { $reason }

## Kohteen näkymät: tapahtumat ja kurssit, lukijalaitteet, käyttökerrat (app/views/staff/venue_*.rs)
staff-venue-nav = Kohde
staff-venue-at = { $date } klo { $time }
staff-venue-cancel = Peruuta
staff-venue-offers = Tapahtumat ja kurssit
staff-venue-offers-intro = Mihin kortilla pääsee kohteessasi: liput tapahtumiin ja paikat kursseille. Lukijat saavat avoimet tapahtumat ja kurssit synkronoidessaan.
staff-venue-offers-none = Tapahtumia tai kursseja ei ole vielä.
staff-venue-offer-add = Lisää tapahtuma tai kurssi
staff-venue-offer-edit = Muokkaa tapahtumaa tai kurssia
staff-venue-offer-name = Nimi
staff-venue-offer-name-hint = Näin nimi näkyy ovella, esimerkiksi Lauantain päivänäytös.
staff-venue-offer-name-empty = Kirjoita nimi.
staff-venue-offer-name-long = Nimi on liian pitkä: enintään 200 merkkiä.
staff-venue-offer-kind = Mitä kortilla saa
staff-venue-offer-limit = Maksuttomia paikkoja päivässä
staff-venue-offer-limit-hint = Vapaaehtoinen. Jätä tyhjäksi, jos rajaa ei ole.
staff-venue-offer-limit-bad = Kirjoita maksuttomien paikkojen määrä numeroina, esimerkiksi 20, tai jätä kenttä tyhjäksi, jos rajaa ei ole.
staff-venue-offer-limit-range = Päiväraja on 1–100 000 paikkaa. Jätä kenttä tyhjäksi, jos rajaa ei ole. Tapahtuman tai kurssin voi lopettaa sulkemalla sen.
staff-venue-offer-save = Tallenna
staff-venue-offer-closed-already = Tämä tapahtuma tai kurssi on suljettu, eikä sitä voi enää muuttaa.
staff-venue-offer-unknown = Kohteella ei ole tällaista tapahtumaa tai kurssia.
staff-venue-no-limit = Ei päivärajaa
staff-venue-limit = { $n ->
    [one] 1 maksuton paikka päivässä
   *[other] { $n } maksutonta paikkaa päivässä
}
staff-venue-state = Tila
staff-venue-open = Avoinna
staff-venue-closed-on = Suljettu { $date }
staff-venue-edit = Muokkaa
staff-venue-close = Sulje
staff-venue-close-question = Suljetaanko ”{ $name }”? Lukijat eivät enää tarjoa sitä, eikä sitä voi avata uudelleen. Sen käyttökerrat pysyvät tilastoissa.
staff-venue-close-yes = Kyllä, sulje
staff-venue-closed-done = ”{ $name }” on suljettu.
staff-venue-add-scanner = Lisää lukijapuhelin
staff-venue-add-scanner-intro = Kertakäyttöinen käyttöönottokoodi tekee puhelimesta tai tabletista kohteesi lukijan. Luo koodi, kun puhelin on käsillä: se toimii kerran ja vain hetken.
staff-venue-code-create = Luo käyttöönottokoodi
staff-venue-code-another = Luo uusi koodi
staff-venue-code-made = Käyttöönottokoodi
staff-venue-code-qr = Käyttöönottolinkin QR-koodi, koodi { $code }
staff-venue-code-how = Osoita puhelimen kameralla QR-koodia ja avaa linkki. Tai avaa Kaiku, valitse Lue kortteja ja lue koodi kameralla tai kirjoita se.
staff-venue-code-until = Toimii kerran, { $when } asti.
staff-venue-code-link = Linkki tietokoneella avattavaksi:
staff-venue-code-done = Näytä kohteen laitteet
staff-venue-devices = Lukijalaitteet
staff-venue-devices-none = Lukijalaitteita ei ole vielä.
staff-venue-devices-venue-only = Vain kohteen omat käyttäjät ja ylläpitäjät voivat lisätä laitteita ja poistaa niitä käytöstä.
staff-venue-device-enrolled = Otettu käyttöön
staff-venue-device-last-sync = Viimeksi synkronoitu
staff-venue-device-never = Ei vielä
staff-venue-device-sent = Lähetetyt käyttökerrat
staff-venue-device-revoked = Poistettu käytöstä: laite ei voi enää synkronoida.
staff-venue-revoke = Poista käytöstä
staff-venue-revoke-question = Poistetaanko ”{ $label }” käytöstä? Laite ei voi enää synkronoida eikä ladata rekisteritietoja. Sen lähettämättömät käyttökerrat jäävät laitteeseen. Laitteen voi ottaa uudelleen käyttöön uudella koodilla.
staff-venue-revoke-yes = Kyllä, poista käytöstä
staff-venue-revoked-done = ”{ $label }” on poistettu käytöstä.
staff-venue-uses = Käyttökerrat
staff-venue-uses-intro = Kuinka moni tuli kortilla, tapahtumittain ja kursseittain. Luvut päivittyvät, kun lukijat synkronoivat.
staff-venue-uses-today = Tänään { $date }
staff-venue-uses-month = Tässä kuussa { $from }–{ $to }
staff-venue-uses-adults = Aikuiset
staff-venue-uses-children = Lapset
staff-venue-uses-total = Yhteensä
staff-venue-uses-all = Kaikki yhteensä
staff-venue-uses-none = Ei käyttökertoja.
staff-venue-uses-closed = { $name } (suljettu)
staff-venue-uses-no-offer = { $kind } ilman tapahtumaa tai kurssia

# Alueen perustaminen ja ylläpito (setup_regions.rs, setup_orgs.rs, setup_users.rs, admin_keys.rs; invite.rs)
staff-loading-list = Haetaan luetteloa…
staff-name-long = Nimi on liian pitkä: enintään { $max } merkkiä.
staff-invitation-give = Anna tämä koodi henkilölle, jolle kutsu on tarkoitettu. Sovelluksessa hän valitsee ”Henkilökunnan kirjautuminen” ja sitten ”Minulla on kutsukoodi” ja asettaa itse käyttäjätunnuksensa ja salasanansa.
staff-invitation-give-to = Anna tämä koodi käyttäjälle { $who }. Sovelluksessa hän valitsee ”Henkilökunnan kirjautuminen” ja sitten ”Minulla on kutsukoodi” ja asettaa itse käyttäjätunnuksensa ja salasanansa.
staff-regions = Alueet
staff-regions-none = Alueita ei ole vielä.
staff-region-coordinators = Koordinaattorit
staff-region-no-coordinator = ei vielä ketään
staff-invite-coordinator-of = Kutsu alueen { $region } koordinaattori
staff-region-new = Lisää alue
staff-region-name = Alueen nimi
staff-region-name-hint = Esimerkiksi Rovaniemi tai Lappi.
staff-region-name-empty = Kirjoita alueen nimi.
staff-region-create = Lisää alue
staff-organisations = Kortinjakajat ja kohteet
staff-orgs-of = Alue: { $region }
staff-distributors = Kortinjakajat
staff-distributors-none = Kortinjakajia ei ole vielä.
staff-distributor-name = Kortinjakajan nimi
staff-distributor-name-hint = Esimerkiksi Rovaniemen sosiaalitoimi.
staff-distributor-name-empty = Kirjoita kortinjakajan nimi.
staff-distributor-create = Lisää kortinjakaja
staff-distributor-created = { $name } on lisätty. Kutsu sen käyttäjät Käyttäjät-näkymässä.
staff-venues = Kohteet
staff-venues-none = Kohteita ei ole vielä.
staff-setup-venue-name = Kohteen nimi
staff-setup-venue-name-hint = Esimerkiksi Kaupunginteatteri.
staff-setup-venue-name-empty = Kirjoita kohteen nimi.
staff-setup-venue-first-offer = Kohteen ensimmäinen tapahtuma tai kurssi
staff-setup-venue-create = Lisää kohde
staff-setup-venue-created = { $name } on lisätty, ja sillä on { $offer }. Kutsu sen käyttäjät Käyttäjät-näkymässä.
staff-setup-venue-saved-offer-not = Kohde on tallennettu, mutta sen tapahtumaa tai kurssia ei: { $reason } Tarkista kentät ja yritä uudelleen; kohdetta ei lisätä kahdesti.
staff-users = Käyttäjät
staff-users-none = Käyttäjiä ei ole vielä.
staff-users-caption = Hallinnoimasi käyttäjät
staff-user-state = Kirjautuminen
staff-user-actions = Toiminnot
staff-user-can-sign-in = Voi kirjautua
staff-user-invited = Kutsuttu, ei vielä salasanaa
staff-user-revoked = Poistettu käytöstä
staff-user-reset = Uusi kutsu
staff-user-reset-for = Uusi kutsu käyttäjälle { $who }
staff-user-revoke = Poista käytöstä
staff-user-revoke-for = Poista käytöstä: { $who }
staff-user-revoke-question = Poistetaanko käyttäjä { $who } käytöstä? Hän ei voi enää kirjautua, ja hänen kirjautumisensa lakkaavat toimimasta heti. Tätä ei voi perua.
staff-keys = Allekirjoitusavaimet
staff-keys-intro = Käytössä oleva avain allekirjoittaa tästä lähtien aktivoitavat ja päivitettävät mobiilikortit. Kaikki avaimet pysyvät julkaistuina, joten aiemmin allekirjoitetut kortit toimivat edelleen.
staff-keys-caption = Palvelimen allekirjoitusavaimet
staff-key-id = Avain
staff-key-created = Lisätty
staff-key-state = Tila
staff-key-active = Allekirjoittaa uudet kortit
staff-key-published = Julkaistu
staff-key-activate-for = Ota avain { $id } käyttöön
staff-key-activate-question = Allekirjoitetaanko uudet kortit tästä lähtien avaimella { $id }? Lukijat, jotka eivät ole synkronoineet avaimen lisäämisen jälkeen, eivät vielä tunne sitä ja hylkäävät nämä kortit, kunnes ne synkronoivat.
staff-key-activated = Avain { $id } allekirjoittaa nyt uudet kortit.
staff-key-added = Avain { $id } on lisätty ja julkaistu. Ota se käyttöön, kun lukijat ovat synkronoineet.
staff-key-new = Uusi avain
staff-key-new-hint = Uusi avain julkaistaan heti, ja lukijat hakevat sen seuraavalla synkronoinnilla. Se ei allekirjoita mitään ennen kuin otat sen käyttöön.
staff-key-add = Lisää avain

# The statistics dashboard (dashboard.rs, dashboard_tables.rs, dashboard_charts.rs)
stats-title = Tilastot
stats-period = Ajanjakso
stats-period-kind = Mikä jakso
stats-kind-year = Vuosi
stats-kind-month = Kuukausi
stats-kind-range = Aikaväli
stats-from = Alkaen
stats-to = Päättyen
stats-month-hint = Esimerkiksi 2026-03 tai 3/2026
stats-day-hint = Esimerkiksi 1.3.2026
stats-error-year = Vuosi on neljä numeroa, esimerkiksi 2026.
stats-error-month = Kirjoita kuukausi muodossa 2026-03 tai 3/2026.
stats-error-day = Kirjoita päivä muodossa 1.3.2026.
stats-error-order = Päättymispäivä ei voi olla ennen alkupäivää.
stats-scope = Kenen luvut
stats-scope-own = Koko oma alue
stats-scope-distributors = Jakajat
stats-scope-venues = Kohteet
stats-show = Näytä luvut
stats-loading = Haetaan lukuja…
stats-heading = { $period }: { $scope }
stats-period-year = Vuosi { $year }
stats-period-range = { $from } – { $to }
stats-month-year = { $month } { $year }
stats-cards-registered = Jaetut kortit
stats-cards-valid = Voimassa olleet kortit
stats-cards-used = Käytetyt kortit
stats-usage-rate = Käyttöaste
stats-uses = Käyntejä
stats-adults = Aikuisten käynnit
stats-children = Lasten käynnit
stats-community-uses = Yhteisökorttien käytöt
stats-community-people = Yhteisökorteilla tulleet
stats-course-places = Kurssipaikat
stats-month = Kuukausi
stats-per-month = Käynnit kuukausittain
stats-per-venue = Käynnit kohteittain
stats-per-distributor = Jaetut kortit jakajittain
stats-venue = Kohde
stats-distributor = Jakaja
stats-none = Ei yhtään tällä jaksolla.
stats-frequency = Kuinka usein korttia käytettiin
stats-freq-times = Käyttökertoja
stats-freq-cards = Kortteja
stats-freq-once = Kerran
stats-freq-twice = Kaksi kertaa
stats-freq-three-to-five = 3–5 kertaa
stats-freq-more-than-five = Yli 5 kertaa
stats-cross-tab = Käynnit ikäryhmän ja sukupuolen mukaan
stats-cross-tab-intro = Ryhmää, jossa on alle { $n } korttia, ei näytetä erikseen, jottei ketään voi tunnistaa: tällaiset ryhmät on laskettu yhteen viimeiselle riville.
stats-cross-tab-caption = Kortit ja käynnit ryhmittäin (alle { $n } kortin ryhmät yhteensä yhdellä rivillä)
stats-fewer-than = alle { $n }
stats-by-age_band = Ikäryhmä
stats-by-gender = Sukupuoli
stats-by-mother_tongue = Äidinkieli
stats-by-life_situation = Elämäntilanne
stats-by-postal_code = Postinumero
stats-csv-title = Lataa luvut
stats-csv = Lataa CSV-tiedostona
stats-csv-saved = Tallennettu: { $at }
stats-chart-months = Pylväskaavio: { $uses } käyntiä { $months } kuukaudessa, eniten { $busiest } ({ $most }).
stats-chart-venues = Palkkikaavio: käynnit { $count } kohteessa, eniten { $first } ({ $most }).
stats-chart-distributors = Palkkikaavio: jaetut kortit { $count } jakajalla, eniten { $first } ({ $most }).
stats-chart-frequency = Palkkikaavio: { $once } korttia käytettiin kerran, { $more } yli 5 kertaa.
stats-month-1 = tammikuu
stats-month-2 = helmikuu
stats-month-3 = maaliskuu
stats-month-4 = huhtikuu
stats-month-5 = toukokuu
stats-month-6 = kesäkuu
stats-month-7 = heinäkuu
stats-month-8 = elokuu
stats-month-9 = syyskuu
stats-month-10 = lokakuu
stats-month-11 = marraskuu
stats-month-12 = joulukuu
stats-month-short-1 = tammi
stats-month-short-2 = helmi
stats-month-short-3 = maalis
stats-month-short-4 = huhti
stats-month-short-5 = touko
stats-month-short-6 = kesä
stats-month-short-7 = heinä
stats-month-short-8 = elo
stats-month-short-9 = syys
stats-month-short-10 = loka
stats-month-short-11 = marras
stats-month-short-12 = joulu
stats-month-0 = ?
stats-month-short-0 = ?

# Door: same card again and the mobile card's age (scanner door, verdict panel, device screen)
scan-ago-now = juuri äsken
scan-ago-minutes = { $n ->
    [one] minuutti sitten
   *[other] { $n } minuuttia sitten
}
scan-ago-hours = { $n } tuntia sitten
scan-ago-days = { $n ->
    [one] päivä sitten
   *[other] { $n } päivää sitten
}
scan-seen-here = Nähty täällä { $ago } (klo { $time }): tämä laite kirjasi saman kortin silloin.
scan-credential-issued = Mobiilikortin koodi on luotu { $ago }.
scan-credential-old = Mobiilikortin koodi on luotu { $ago }: sovellus uusii sen aina, kun kortti avataan verkkoyhteyden ollessa päällä. Vanha koodi voi olla kopio: pyydä haltijaa avaamaan kortti sovelluksessa.
scan-seen-window-title = Sama kortti uudelleen
scan-seen-window-label = Varoitusaika (minuuttia)
scan-seen-window-hint = Jos tämä laite on kirjannut saman kortin tämän ajan sisällä, ovella näytetään varoitus. Kokonaisia minuutteja 0–{ $max }; 0 poistaa varoituksen. Korttia ei koskaan hylätä tämän takia.
scan-seen-window-save = Tallenna
scan-seen-window-saved = Tallennettu: ovella varoitetaan, jos sama kortti on kirjattu { $n } minuutin sisällä.
scan-seen-window-off = Tallennettu: varoitus on pois päältä.
scan-seen-window-not-saved = Asetusta ei tallennettu: { $error }
scan-seen-window-not-minutes = Kirjoita aika kokonaisina minuutteina, esimerkiksi 30.
scan-seen-window-too-long = Enintään { $max } minuuttia (vuorokausi).

# Luotetut avaimet ja vain https-palvelimet (lukijan tulos, palvelimen osoitekentät, avainten hallinta)
scan-why-retired-key = Mobiilikortti on allekirjoitettu avaimella { $key }, joka on poistettu käytöstä { $from } alkaen. Pyydä kortin haltijaa avaamaan kortti sovelluksessa verkkoyhteyden ollessa päällä: kortti päivittyy silloin uudelle avaimelle.
server-not-https = Käytä osoitetta, joka alkaa https://. Sovellus ei lähetä kortteja eikä salasanoja salaamattomalla http-yhteydellä, jota kuka tahansa matkan varrella voi lukea ja muuttaa (pelkkä http toimii vain tällä laitteella olevalle palvelimelle).
server-not-an-address = Tämä ei ole palvelimen osoite: kirjoita se muodossa https://kaiku.example.fi.
staff-key-retired = Poistettu käytöstä { $from } alkaen
staff-key-retire-for = Poista avain { $id } käytöstä
staff-key-retire-title = Avaimen { $id } poistaminen käytöstä
staff-key-retire-hint = Lukijat hylkäävät tällä avaimella allekirjoitetut mobiilikortit valitsemastasi päivästä alkaen, kun ne ovat synkronoineet. Haltijan kortti saa uuden allekirjoituksen käytössä olevalla avaimella, kun haltijan sovellus seuraavan kerran päivittää kortin. Poista mahdollisesti vuotanut avain käytöstä tästä päivästä alkaen.
staff-key-retire-from = Kortit hylätään alkaen
staff-key-retire-date-empty = Valitse päivä, josta alkaen avaimen kortit hylätään.
staff-key-retire-question = Poistetaanko avain { $id } käytöstä { $from } alkaen? Tätä ei voi perua.
staff-key-retire-yes = Poista avain { $id } käytöstä
staff-key-retired-done = Avain { $id } on poistettu käytöstä { $from } alkaen. Lukijat saavat tiedon seuraavassa synkronoinnissa.
staff-key-endorsed-by = avaimen { $id } vahvistama

# Uses to check and the holder's refresh secret (card screen, staff uses-to-check screens)
status-needs-activation = Tämä puhelin ei voi enää päivittää korttia: kortti pitää aktivoida uudelleen. Pyydä uusi aktivointikoodi sieltä, mistä sait kortin. Kortti säilyy sillä välin tässä puhelimessa.
staff-checks = Tarkistettavat käyttökerrat
staff-checks-intro = Sama kortti luettiin kahdella eri lukijalaitteella lyhyen ajan sisällä. Kyse voi olla mobiilikortin jaetusta kopiosta tai erehdyksestä ovella. Mitään ei hylätty: katso korttia tarkasti, kun se seuraavan kerran tulee vastaan. Vain korttien numerot näytetään.
staff-checks-none = Ei tarkistettavia käyttökertoja viimeisen 90 päivän ajalta.
staff-checks-count = { $n ->
    [one] Yksi tarkistettava käyttökerta
   *[other] { $n } tarkistettavaa käyttökertaa
} viimeisen 90 päivän ajalta, uusimmat ensin.
staff-checks-card = Kortti { $card }
staff-checks-apart = Käyttökertojen väli { $minutes ->
    [one] 1 minuutti
   *[other] { $minutes } minuuttia
}
staff-checks-scan = { $venue }, lukijalaite ”{ $device }”: { $offer }

# A busy server (429, or 503 with Retry-After): activation, console, scanner sync and enrollment
error-busy = Palvelimelle tulee juuri nyt liikaa pyyntöjä. Yritä uudelleen { $wait } kuluttua.
scan-sync-busy = palvelin on ruuhkautunut. Mitään ei menetetty: synkronoi uudelleen { $wait } kuluttua.

# Statistics that cannot be differenced (statistics dashboard)
stats-kind-months = Kuukausiväli
stats-rounded-note = Yksityisyyden suojaamiseksi luvut on pyöristetty lähimpään viiteen, ja 1–4 näytetään muodossa ”alle 5”. Prosentit on laskettu pyöristetyistä luvuista.
stats-other-groups = Pienemmät ryhmät yhteensä
stats-between = { $from }–{ $to }

# The server says this device's clock is ahead (scanner status bar)
scan-clock-ahead = { $minutes ->
    [one] Tämän puhelimen kello on noin minuutin edellä: aseta oikea aika puhelimen asetuksista.
   *[other] Tämän puhelimen kello on noin { $minutes } minuuttia edellä: aseta oikea aika puhelimen asetuksista.
}

# Gate mode and undo at the door (scanner door, device screen)
scan-gate-title = Porttitila
scan-gate-hint = Festivaaleille ja ruuhkaisille sisäänkäynneille. Voimassa oleva kortti, jossa ei ole valittavaa (yksi aikuinen, ei lapsia kirjattuna), kirjataan heti merkin ja äänen kera, ja kamera on valmis seuraavalle. Kirjatut lapset, yhteisökortit, hetki sitten täällä nähty kortti sekä varmistamattomat ja kelpaamattomat kortit jäävät edelleen odottamaan sinun ratkaisuasi.
scan-gate-switch = Kirjaa tavalliset kortit heti
scan-gate-is-on = Porttitila on käytössä tässä laitteessa.
scan-gate-is-off = Porttitila ei ole käytössä: jokainen kortti odottaa napautustasi.
scan-gate-not-saved = Asetusta ei tallennettu: { $error }
scan-gate-badge = porttitila
scan-gate-choose-offer = Porttitila kirjaa heti vasta, kun tapahtuma tai kurssi on valittu: valitse se yllä.
scan-undo = Peru ({ $seconds } s)
scan-undone = Peruttu: { $summary }. Korjaus on kirjattu ja lähetetään; käyttöä ei lasketa.
scan-undo-failed = Ei peruttu: { $reason }
