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
