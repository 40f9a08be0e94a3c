"""The approval and privacy pages name the checks and reviews built in issue 15.

Each page is updated only if staff haven't edited it since it was created: its body is
still the first text, kept below. An edited page is left as staff wrote it.
"""

from django.db import migrations

from pages.content import page_texts

FIRST_BODIES = {
    "how-we-approve-clinics": '_A starting point written for this project: whoever runs the site must make sure these are the checks their staff really make._\n\n"Approved clinic" on this site means a person on our staff has looked at the clinic and its work and decided to list it. Nobody is listed just for applying, and no clinic can buy its way past these checks.\n\n## Before a clinic is listed\n\nOur staff check:\n\n1. **The business is real.** Its name, address and phone number belong together, and the premises exist.\n2. **The work is its own.** The portfolio photos show work by the clinic\'s own artists, including healed results, not pictures taken from another clinic, a franchise or a supplier. We compare photos with those already on the site.\n3. **The artist is trained.** We ask to see training certificates for each artist who treats clients.\n4. **It is licensed where the law asks for it.** Some cities and countries require a licence for tattooing and micropigmentation; where they do, we ask for it.\n5. **It is insured.** We ask for proof of professional liability insurance.\n6. **Hygiene.** Single-use needles and cartridges, and a clean, appropriate treatment room.\n7. **Honest prices and words.** The price range and the description match what the clinic charges and does.\n\n## Keeping listings true\n\nEach profile shows when our staff last reviewed it. We review every listing at least once a year, and whenever we hear a complaint or notice a change. We also watch how clinics treat requests: how many they answer and how quickly.\n\n## What gets a clinic suspended\n\n- photos that turn out not to be the clinic\'s own work;\n- a lapsed licence or insurance it can\'t renew;\n- serious or repeated complaints from clients we can\'t resolve with the clinic;\n- misusing a client\'s details or photos (using them for anything but the quote);\n- an email address for requests that no longer works.\n\nA suspended clinic disappears from the site at once, and loses access to every request it received through us.\n\n## Tell us\n\nIf something on a listing is wrong, or a clinic treated you badly, please [contact us](/contact/).\n',
    "privacy": "_A starting point written for this project: whoever runs the site must name themselves as the controller, check it against the law where they operate, and keep it true when the site changes._\n\nThis policy explains what happens to your information on SMP Clinic Finder. In short: photos of your hair loss go only to the artists you choose, never onto the site, and you can erase everything from your private comparison page at any time.\n\n## Who is responsible\n\nThe operator of this site is the controller of your personal data. You can reach us through the [contact page](/contact/).\n\n## What we collect, and why\n\nWhen you **ask for quotes**:\n\n- your name, email address and (if you give it) phone number, so the artists can answer you;\n- your city and the message you write;\n- up to five photos of your hair loss. Photos of hair loss can say something about your health, so we only send them with your explicit consent, which you give by ticking the box on the form;\n- the time you agreed, and a coded version of your internet address (a keyed hash, not the address itself) to stop spam and abuse.\n\nBefore any artist sees your photos we turn them upright, remove hidden information such as the location and the camera, and store a new copy; the original file is deleted.\n\nWhen you **contact us**: your name, email address, message and any reference you give.\n\nWhen a **clinic applies**: the clinic's details and photos, which become public once approved, and a contact's name, email and phone for our staff, which never do.\n\nWe don't use advertising or tracking cookies. The site sets a security cookie that protects forms, and staff who sign in get a session cookie.\n\n## Who receives it\n\n- **The artists you choose.** One artist, or every approved artist in your city who takes requests online, as you chose on the form. They get your details, your message and private links to your photos. The links only work while the artist needs them: once you choose an artist or close the request, the others can no longer open them, and neither can a clinic we suspend.\n- **Our email provider**, which delivers the emails, and **our hosting and storage providers**, which keep the site and the photos. They process data only on our instructions.\n- Nobody else. We don't sell or rent your data.\n\n## How long we keep it\n\n- Your photos: deleted automatically after 180 days, or at once when you erase the request.\n- Your request's details: until you erase the request, and never more than a year; then the personal details are erased automatically.\n- Artists' replies: with the request; erased with it.\n- Spam we blocked: a trace without photos, deleted after 30 days.\n- Contact messages: as long as we need them to answer and follow up, then deleted.\n\n## Erasing everything\n\nYour confirmation email links to your private comparison page. There, **Delete my request** erases your details, photos and the artists' replies at once (it asks you to confirm first). The artists' links then only say the request was withdrawn. Artists who already emailed you keep that email, as with any email. Lost the link? Ask for a new one on the page the old link opens, or contact us.\n\n## The law\n\nIf you are in the UK or the European Union, the laws on data protection (the UK GDPR and the EU GDPR) give us these reasons to use your data:\n\n- **your explicit consent** to send your photos and details to the artists you choose (you can withdraw it by erasing the request);\n- **steps you ask for before a contract**: passing your request to artists so they can quote;\n- **our legitimate interests** in keeping the site safe and free of spam;\n- **legal obligations**, where the law requires us to keep something.\n\nYou have the right to a copy of your data, to have it corrected or erased, to restrict or object to its use, and to take it elsewhere. You can also complain to your data protection authority (in the UK, the Information Commissioner's Office). Please [contact us](/contact/) first: we would like to put things right.\n\n## Changes\n\nWe update this page when the site changes what it collects or who receives it, and show the date of the last change at the top.\n",
}


def update_unedited(apps, schema_editor):
    from articles.markdown import render_markdown

    SitePage = apps.get_model("pages", "SitePage")
    texts = page_texts()
    for slug, first in FIRST_BODIES.items():
        body = texts[slug]["body"]
        SitePage.objects.filter(slug=slug, body=first).update(
            body=body, body_html=render_markdown(body).html
        )


def restore_unedited(apps, schema_editor):
    from articles.markdown import render_markdown

    SitePage = apps.get_model("pages", "SitePage")
    texts = page_texts()
    for slug, first in FIRST_BODIES.items():
        SitePage.objects.filter(slug=slug, body=texts[slug]["body"]).update(
            body=first, body_html=render_markdown(first).html
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_message_ids")]

    operations = [migrations.RunPython(update_unedited, restore_unedited)]
