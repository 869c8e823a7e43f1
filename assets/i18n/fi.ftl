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
when-just-now = juuri nyt
when-minutes = { $n } min sitten
when-hours = { $n } t sitten
when-days = { $n ->
    [one] päivä sitten
   *[other] { $n } päivää sitten
}

scanner-title = Lue kortteja
scanner-not-yet = Lukija ei ole vielä käytettävissä tässä versiossa.
