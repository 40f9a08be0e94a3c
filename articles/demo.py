"""Sample articles and FAQ entries for development, demos and the benchmark.

Everything here was written for this project and is marked as sample content: the author
names the editors "(sample content)" and every article opens with a one-line note. Facts
about SMP follow common public knowledge; price ranges are indicative, not quotes.
"""

import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from textwrap import dedent

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from PIL import Image, ImageDraw, ImageFilter

from .markdown import render_markdown
from .models import Article, Category, FaqEntry

AUTHOR = "SMP Clinic Finder editors (sample content)"
SAMPLE_NOTE = (
    "_Sample content, written for the SMP Clinic Finder demonstration: "
    "general information, not medical advice._"
)
HERO_SIZE = (1200, 630)

CATEGORIES = [
    (
        "understanding-smp",
        "Understanding SMP",
        "What scalp micropigmentation is, who it suits, and how it compares with other options.",
    ),
    (
        "your-treatment",
        "Your treatment",
        "From the first consultation to the sessions, aftercare and touch-ups years later.",
    ),
    (
        "planning-and-cost",
        "Planning and cost",
        "How to choose an artist, what SMP costs and how to get a fair quote.",
    ),
]


@dataclass(frozen=True)
class SampleArticle:
    slug: str
    title: str
    category: str
    summary: str
    published: tuple[int, int, int]
    motif: str
    hero_alt: str
    body: str


ARTICLES = [
    SampleArticle(
        slug="what-is-scalp-micropigmentation",
        title="What is scalp micropigmentation?",
        category="understanding-smp",
        summary=(
            "How tiny deposits of pigment recreate the look of closely cut hair or fuller "
            "hair, what SMP can and cannot do, and what the treatment involves."
        ),
        published=(2025, 1, 14),
        motif="full",
        hero_alt=(
            "Illustration of a head seen from above, its scalp evenly covered in fine dots "
            "that look like a close buzz cut"
        ),
        body="""
        Scalp micropigmentation, usually shortened to SMP, is a cosmetic treatment in which a
        trained artist places very small deposits of pigment in the upper layers of the skin of
        the scalp. Each deposit is roughly the size of a hair where it leaves the skin after a
        close shave. Thousands of them, placed with care, make the scalp read as if it were
        covered in short hair. Nothing grows and nothing is implanted: the effect is visual.

        ## How it creates the look of hair

        When you look at a freshly clipped head, you do not see individual hairs so much as a
        soft, even shadow made of tiny points. SMP copies that pattern. The artist varies the
        size, spacing and angle of the dots and usually picks a shade a little lighter than you
        might expect, because pigment in skin tends to look darker and cooler than it does in
        the bottle. Done well, the result has no hard edges and no regular grid; it looks like
        stubble that was always there.

        The same idea works for people who keep their hair longer. Instead of standing in for
        the hair, the dots go between the existing strands. The scalp then contrasts less with
        the hair above it, and thin areas stop catching the eye. This is often called a density
        treatment.

        ## What it can and cannot do

        SMP is good at a few specific jobs:

        - recreating a hairline and a closely shaved look on a head that is partly or fully bald;
        - making thin hair look fuller by reducing how much pale scalp shows through;
        - disguising scars, such as the line left by strip (FUT) transplant surgery or the small
          round marks left by FUE;
        - covering patches of hair loss caused by alopecia.

        It cannot give you hair that you can grow, style or touch. If you stop clipping, the
        real hair around a shaved-look treatment grows out and the difference shows, so most
        people keep their hair short. It does not slow or stop hair loss either. If your hair is
        still receding, a good artist plans for that, and it may be worth asking a doctor about
        the cause.

        ## Is it a tattoo?

        Technically, yes: pigment is placed in the skin with a needle. In practice it is a
        specialised craft. The needles are finer, the pigment is made for the purpose, the dots
        sit shallower than in body art, and the aim is to imitate a natural feature rather than
        to draw a picture. A tattoo artist without specific training will not automatically
        produce good SMP, and heavy-handed work can blur into a solid patch over the years.

        ## A short history

        Simple forms of scalp pigmentation were tried as early as the 1980s. The treatment as we
        know it took shape around the end of the 2000s, when clinics devoted only to SMP opened
        and the press began to notice. Training courses followed, and today most large cities
        have several practitioners, the biggest well over a hundred. That choice is welcome,
        but it also means quality varies a great deal, which is why choosing carefully matters.

        ## What the process looks like

        Most treatments follow the same path: a consultation, then usually two to four sessions
        spaced a week or more apart, then a period of healing with simple aftercare. Each
        session builds density, and the artist adjusts the shade as earlier work settles. Our
        other articles cover each stage in detail, from what to ask at the consultation to how
        long the result lasts and what it costs.

        ## In short

        SMP is a non-surgical way to change how hair loss looks, not a way to regrow hair. It
        suits people who are happy with a short, neat style or who want their own hair to look
        denser, and it rewards careful planning with an experienced artist.
        """,
    ),
    SampleArticle(
        slug="who-is-smp-for",
        title="Who is SMP for? Men, women, scars, alopecia and after chemotherapy",
        category="understanding-smp",
        summary=(
            "SMP helps people with very different kinds of hair loss. How it fits pattern "
            "baldness, thinning in women, scars and alopecia, and when it is wiser to wait."
        ),
        published=(2025, 2, 4),
        motif="density",
        hero_alt=(
            "Illustration of a head seen from above with longer hair strands and fine dots "
            "between them, making the parting look fuller"
        ),
        body="""
        People come to scalp micropigmentation for many reasons. Some have been losing hair for
        years, some found a bald patch last spring, and some are content with their hair but
        not with the scar an old operation left behind. Here is how SMP fits each situation,
        and when it is better to wait.

        ## Men with pattern hair loss

        The classic candidate is a man with a receding hairline, a thinning crown or both, who
        is willing to keep his hair clipped very short. SMP recreates a hairline and fills the
        thin areas, so the whole head looks like an even buzz cut. Because it does not rely on
        donor hair, it works even when very little hair is left, and on a completely bald head.

        The hairline deserves special thought. A low, straight, razor-sharp line can look
        striking at twenty-five and odd at sixty. Good artists design a softer, slightly
        irregular front edge that suits your age and face, and that will still be believable as
        you get older.

        ## Women with thinning hair

        Women lose hair for many reasons: genetics, hormonal change, pregnancy and childbirth,
        illness, stress or tight hairstyles. Most women who choose SMP keep their hair long and
        want a widening parting or a see-through crown to show less. The artist places pigment
        between the hairs, so the scalp looks darker and less exposed beneath them. Your
        haircut does not need to change at all.

        ## Scars

        Hair transplant surgery always leaves some scarring. A strip (FUT) procedure leaves a
        line across the back of the head; FUE leaves many small pale dots. Injuries and other
        operations leave marks too. Scar tissue often stays paler than the skin around it,
        which shows as soon as hair is worn short. SMP can blend these areas into the
        surrounding pattern so short styles become possible again. Scar tissue takes pigment
        less evenly than normal skin, so expect extra sessions, and ask to see healed scar work
        by the artist you are considering.

        ## Alopecia

        Alopecia covers several conditions: patchy loss (areata), complete loss from the scalp
        (totalis) or the whole body (universalis), loss from long-term pulling (traction), and
        sudden shedding after a shock or illness (telogen effluvium). Medical treatments help
        some people, but none works for everyone. SMP does not treat the condition; it hides its
        effect. With patchy alopecia that comes and goes, the artist must plan for patches that
        may regrow or move, so experience with alopecia clients is important.

        ## During and after chemotherapy

        SMP is not done during chemotherapy. The body is under strain, skin heals less
        predictably, and hair often returns on its own once treatment ends. The usual advice is
        to finish treatment, give your hair time to come back and speak to your medical team
        before booking. Some people find their hair returns thinner or patchier than before,
        and for them SMP can be a helpful step once their doctors agree.

        ## When to wait or think again

        An artist may suggest waiting, or a different approach, if you have:

        - **a recent hair transplant**: the scalp must heal fully first, and your surgeon should
          agree on the timing;
        - **an active skin condition** on the scalp, such as flaring psoriasis, eczema or an
          infection;
        - **hopes of long, thick hair** without enough real hair left: SMP can make existing
          hair look denser, but it cannot create length;
        - **a tendency to keloid scars** or a known pigment allergy, which need a doctor's view.

        ## Getting a personal answer

        The surest way to know whether SMP suits you is a consultation with an experienced
        artist, who will look at your scalp in good light and talk through what is realistic.
        Bring your questions and, where it matters, your medical history.
        """,
    ),
    SampleArticle(
        slug="smp-consultation",
        title="Your SMP consultation: what happens and what to ask",
        category="your-treatment",
        summary=(
            "The consultation decides whether SMP is right for you and who should do it. What "
            "the artist should ask and show you, good questions to bring, and warning signs."
        ),
        published=(2025, 2, 25),
        motif="hairline",
        hero_alt=(
            "Illustration of a head seen from above with a hairline marked as a curved line in "
            "front of a light first layer of dots"
        ),
        body="""
        The consultation is where a good treatment begins. It is your chance to judge the
        artist, and the artist's chance to judge whether SMP can give you the result you have in
        mind. It is usually free, and it should never feel like a sales pitch.

        ## In person or online

        Many clinics offer both. An online consultation, from photos or a video call, is a quick
        way to learn whether SMP is realistic for you and to get an idea of the price. An
        in-person visit is better for planning the treatment itself, because the artist can see
        your scalp in daylight, check your skin and hair up close and draw a proposed hairline
        on your head. Expect anything from a quarter of an hour for a short online chat to an
        hour for a thorough visit.

        ## What the artist will ask you

        A careful artist will want to know:

        - how and when your hair loss started, and whether it is still changing;
        - about medical conditions, medicines, allergies and skin problems;
        - whether you have had hair transplants, scalp surgery or earlier SMP;
        - how you wear your hair now, and how you want to wear it afterwards;
        - what look you are aiming for, ideally with photos of styles you like.

        Be open. Leaving out a skin condition or a medicine that affects healing can lead to a
        worse result.

        ## What the artist should show you

        You should leave having seen:

        1. **Healed results**, not only fresh ones. Work photographed on the day looks crisp;
           what matters is how it looks months later.
        2. **Work on people like you**: a similar skin tone, hair colour and pattern of loss or
           scarring.
        3. **A proposed hairline**, drawn on your head or on a photo, with the reasons it sits
           where it does.
        4. **A written quote** that says how many sessions are included and whether touch-ups
           cost extra.

        ## Good questions to ask

        - How long have you been doing SMP, and where did you train?
        - How many treatments like mine have you done?
        - How many sessions will I need, how far apart, and how long does each take?
        - Which pigment do you use, and how do you choose the shade?
        - What does aftercare involve, and what happens if I am unhappy with something?
        - What does a touch-up cost, and when might I need one?

        Listen to how the answers are given as well as to what they say. A confident artist
        explains the limits of the treatment as readily as its benefits.

        ## Warning signs

        Be wary of a clinic that will not show healed photos, pushes for a large deposit on the
        spot, offers everyone the same hairline or brushes aside medical questions. Be cautious,
        too, about a hairline much lower or sharper than anything you had before: it may look
        bold for a year and wrong for the next twenty.

        ## After the consultation

        Take your time. Compare two or three artists if you can, look through their portfolios
        again at home, and book only once you understand the plan. When you are ready, you can
        ask several approved artists in your city for a quote at once through this site.
        """,
    ),
    SampleArticle(
        slug="smp-sessions-and-aftercare",
        title="SMP sessions and aftercare: what to expect",
        category="your-treatment",
        summary=(
            "How many sessions SMP takes, what a session feels like, and how to look after "
            "your scalp in the first days, the following weeks and the long term."
        ),
        published=(2025, 3, 18),
        motif="layers",
        hero_alt=(
            "Illustration of a head seen from above, dense dots at the front thinning to a "
            "light first layer at the back, as between sessions"
        ),
        body="""
        Scalp micropigmentation is built up in stages. Each session adds a layer of dots, and
        the pauses between sessions let the skin settle so the artist can judge the shade and
        density before going further. Here is what a typical course looks like and how to care
        for your scalp along the way.

        ## How many sessions

        Most full treatments take three sessions, and some take four. Smaller jobs, such as a
        single scar or a light density treatment, may need fewer. Sessions are usually spaced
        from about a week to several weeks apart, depending on how your skin heals and how your
        artist works. Scar tissue and alopecia often need extra sessions, because the skin
        takes pigment less evenly.

        ## On the day

        Arrive with a clean scalp and, for a shaved-look treatment, hair clipped the way your
        artist asked. Eat beforehand and wear a top that opens at the front or has a wide neck.
        A session can last from two hours to as long as five for a full head, with breaks. The
        first one usually sets the hairline and lays a light foundation of dots; later ones add
        density and fill gaps.

        ## Does it hurt?

        Most people call it uncomfortable rather than painful: a scratching, prickling feeling
        that varies across the head. The crown and the temples are often more sensitive. Some
        clinics use a numbing cream. Ask for a break whenever you need one; there is no prize
        for sitting still for five hours.

        ## The first few days

        Straight after a session your scalp will look red and feel tender, rather like mild
        sunburn. This usually settles within a few days. The dots look darker and sharper at
        first and soften as the skin heals, so do not judge the result in the mirror that
        evening.

        Follow your artist's instructions exactly. Typical advice for the first days:

        - keep the scalp dry and do not wash it;
        - avoid exercise and anything that makes you sweat heavily;
        - do not scratch or pick at flakes; let them come away on their own;
        - sleep on a clean pillowcase;
        - stay out of strong sun, and avoid hats that rub.

        ## The following weeks

        Once your artist says you may, wash gently with a mild shampoo and no scrubbing. Stay
        away from swimming pools, the sea, saunas, steam rooms and sunbeds for a few weeks:
        chlorine, salt, heat and ultraviolet light can all disturb healing skin and fade
        pigment. If you shave your head, wait until you are told it is safe, then use an
        electric shaver or a new, sharp razor.

        ## Looking after it long term

        Sunlight is the main enemy of a lasting result. Wear a hat or a high-factor sunscreen
        whenever your scalp is exposed for long. Moisturise if your scalp is dry, because dull,
        flaky skin makes dots look fainter. Keep to your usual haircut, so the balance between
        real hair and pigment stays the same.

        ## When to call your artist

        Some redness and tenderness are normal. Contact your artist, and a doctor if needed, if
        you notice swelling that gets worse, heat, pus, a fever or a rash spreading beyond the
        treated area. These can be signs of infection or an allergic reaction and should be
        checked promptly.
        """,
    ),
    SampleArticle(
        slug="smp-benefits-and-risks",
        title="Benefits and risks of scalp micropigmentation",
        category="understanding-smp",
        summary=(
            "What SMP does well, the side effects most people notice, the rarer problems worth "
            "knowing about, and how a careful artist keeps the risks low."
        ),
        published=(2025, 4, 8),
        motif="balance",
        hero_alt=(
            "Illustration of a head seen from above, one half evenly dotted and the other half "
            "bare, comparing before and after"
        ),
        body="""
        Every cosmetic treatment is a trade-off. SMP has clear advantages, but it still places
        pigment in your skin, and it is worth knowing what can go wrong before you book.

        ## The benefits

        **No surgery.** SMP uses fine needles in the surface layers of the skin. There are no
        incisions, no stitches and no general anaesthetic.

        **Quick recovery.** Most people are back at work the next day, or within a few days once
        the redness fades.

        **No donor hair needed.** A hair transplant moves existing hair, so it depends on having
        enough of it. SMP does not, so it can help people with extensive or total hair loss.

        **Your follicles are left alone.** The pigment sits in the skin between follicles. It
        does not damage them or stop remaining hair from growing.

        **Predictable and immediate.** You see the effect after the first session, and the final
        look can be agreed in advance.

        **Little daily effort.** With a shaved look there is nothing to apply each morning: no
        fibres, sprays or concealers to rub off on a pillow or run in the rain.

        ## Side effects most people notice

        These are usually mild and pass within days:

        - redness, tenderness and slight swelling;
        - itching, light scabbing or flaking as the skin heals;
        - swollen lymph nodes in the neck for a short while, which some people notice.

        ## Rarer but more serious problems

        - **Infection**, usually from poor hygiene during or after treatment.
        - **An allergic reaction** to the pigment.
        - **Pigment spreading**, where dots blur together over time and the scalp looks patchy
          or solid.
        - **The wrong shade**, often too dark, or turning blue-grey as it heals.
        - **A poorly designed hairline**, too low, too sharp or uneven, which looks artificial.
        - **Reduced feeling** in the treated skin, usually temporary.

        ## Keeping the risks low

        Almost all of the serious problems come down to technique, hygiene and planning. An
        experienced artist uses sterile, single-use needle cartridges, pigment made for scalp
        work and a light hand. They design the hairline with you, choose a shade that suits
        your skin and build density gradually over several sessions. Your part is to be open
        about your health at the consultation and to follow the aftercare advice.

        If you have reacted badly to tattoos or cosmetics before, ask whether a patch test is
        possible first.

        ## Can it be undone?

        SMP is meant to last, so treat it as permanent. Poor work can often be improved: a
        skilled artist may rework a hairline or add dots to even out density. Dots that are too
        dark or have spread may need laser removal, which takes several sessions, costs money
        and is not always complete. That is the strongest reason to choose well the first time.

        ## Weighing it up

        For many people the benefits clearly outweigh the risks, especially with a careful,
        experienced artist. If you are unsure, take your time, compare healed portfolios and
        ask questions. A good clinic will welcome them.
        """,
    ),
    SampleArticle(
        slug="smp-vs-hair-transplant",
        title="SMP or a hair transplant? How they compare",
        category="understanding-smp",
        summary=(
            "One creates the look of hair, the other moves real hair. A side-by-side comparison "
            "of SMP and transplant surgery, who each suits, and how they work together."
        ),
        published=(2025, 4, 29),
        motif="scar",
        hero_alt=(
            "Illustration of the back of a head with a pale horizontal scar line blended into "
            "surrounding dots"
        ),
        body="""
        Scalp micropigmentation and hair transplant surgery are often mentioned together, but
        they tackle hair loss in very different ways. One creates the appearance of hair; the
        other moves real hair from one part of your head to another. Knowing the difference
        makes the choice much easier.

        ## How each one works

        In a **hair transplant**, a surgeon takes follicles from the back and sides of the head,
        where hair usually resists pattern loss, and implants them where it is thin. In strip
        surgery (FUT) a band of scalp is removed and divided into grafts; in FUE follicles are
        taken one at a time. The moved hair then grows as normal hair.

        **SMP** leaves your hair where it is. An artist places pigment in the skin to imitate
        short hair, or to make thinning hair look denser.

        ## Side by side

        | | SMP | Hair transplant |
        |---|---|---|
        | Result | The look of short or denser hair | Real hair you can grow and style |
        | Procedure | Fine needles, no surgery | Surgery under local anaesthetic |
        | Donor hair | Not needed | Needed, and the supply is limited |
        | Recovery | A few days of redness | One to two weeks, longer to heal fully |
        | Result visible | At once, refined over sessions | After many months of growth |
        | Scars | None from the treatment itself | Always some, linear or dotted |
        | Upkeep | A touch-up every few years | Often medication for remaining hair |
        | Typical cost | Usually lower | Usually much higher |

        ## Who tends to choose SMP

        SMP suits people who like a short, clean style, who have extensive loss and not enough
        donor hair for surgery, who would rather avoid an operation, or who want a result soon.
        It is also popular when hair loss is still progressing, since it does not use up a
        limited supply of donor hair.

        ## Who tends to choose a transplant

        A transplant suits people who want real hair they can grow longer, who have a good donor
        supply and fairly stable loss, and who accept surgery, a longer recovery and a higher
        price. Pattern loss often continues after a transplant, so a good surgeon plans for
        future loss too.

        ## Using both together

        The two compete less often than people think. Many clients combine them:

        - **SMP to hide transplant scars**, especially the line from strip surgery, so the back
          and sides can be worn short;
        - **SMP behind a transplanted hairline**, adding the impression of density where grafts
          alone look thin;
        - **SMP as a later option** for men whose loss continued after a transplant and who now
          prefer a shaved look.

        If you are planning both, ask your surgeon and your artist about order and timing. SMP
        on a recently operated scalp has to wait until the skin has fully healed.

        ## Making the decision

        Ask yourself how you want to wear your hair in ten years, how you feel about surgery and
        what you can spend. Then speak to specialists on both sides, and be wary of anyone who
        dismisses the other option outright. The right choice fits your hair, your health and
        your style.
        """,
    ),
    SampleArticle(
        slug="choosing-an-smp-specialist",
        title="How to choose an SMP specialist",
        category="planning-and-cost",
        summary=(
            "The artist matters more than anything else. How to judge healed work, experience, "
            "training, hygiene and reviews, and the signs that should make you walk away."
        ),
        published=(2025, 5, 20),
        motif="detail",
        hero_alt=(
            "Illustration of a magnified patch of scalp showing fine dots of slightly different "
            "sizes and spacing"
        ),
        body="""
        Scalp micropigmentation is only as good as the person doing it. The same treatment can
        look entirely natural in one artist's hands and flat or smudged in another's, and poor
        work is far harder to fix than to avoid. Choosing your artist is the biggest decision
        you will make.

        ## Look at healed work first

        Almost every SMP photo looks sharp on the day it is taken. What you need to see is the
        work after the skin has healed, ideally months or years later. Ask each artist for
        healed photos, including some taken in daylight from several angles rather than only
        flattering close-ups under studio lights. Videos are even better, since they are harder
        to edit.

        Look for:

        - dots that vary slightly in size and spacing, rather than a regular grid;
        - a hairline with a soft, slightly uneven edge that suits the client's age;
        - a smooth blend into the real hair at the sides and back;
        - even density with no dark patches or blurred areas.

        ## Check experience with cases like yours

        A fine shaved-look portfolio does not prove skill with density work for women, large
        scars or alopecia. Ask how many treatments like yours the artist has done, and for
        examples on similar skin tones and hair colours. Pigment looks different on very fair,
        olive and dark skin, and choosing the shade is one of the hardest parts of the craft.

        ## Ask about training and hygiene

        There is no single international qualification for SMP, and the rules differ between
        countries, so ask directly where the artist trained and for how long. In many places the
        premises must also be registered or licensed for skin-piercing work; a professional
        clinic will gladly show you. Rooms should be clean and tidy, needle cartridges should be
        single-use and opened in front of you, and the artist should wear fresh gloves.

        ## Read reviews with care

        Independent reviews help, especially ones that describe how the work held up over time
        and how the clinic handled problems. Be cautious of a page of identical five-star
        comments posted in the same week. Recommendations from people whose results you have
        seen in person are worth the most.

        ## Talk about the plan and the price

        A good specialist explains how many sessions you need, how the shade is chosen and what
        aftercare involves. They give you a clear written price and say whether touch-ups are
        included. A very low price can be a warning: rushed work or cheap pigment often costs
        more to correct later.

        ## Trust the consultation

        Notice how you are treated. Did the artist listen to what you want? Did they explain
        what SMP cannot do as well as what it can? Were you given time to think, or pushed for a
        deposit? If something feels wrong, it is fine to walk away.

        ## How this site helps

        Every clinic in this directory is reviewed and approved by our staff before it appears.
        Each profile shows the artists, their galleries, prices and services, and you can ask
        one artist, or every approved artist in your city, for a free and confidential quote
        with a few photos of your hair loss. Use it as a starting point, then meet the artists
        and decide for yourself.
        """,
    ),
    SampleArticle(
        slug="how-long-does-smp-last",
        title="How long does SMP last? Fading and touch-ups",
        category="your-treatment",
        summary=(
            "SMP lasts for years but slowly softens. Why it fades, how often people need a "
            "touch-up, what one involves, and five habits that keep a treatment looking fresh."
        ),
        published=(2025, 6, 10),
        motif="fade",
        hero_alt=(
            "Illustration of a head seen from above with dots that are strong on one side and "
            "gradually lighter on the other, showing fading"
        ),
        body="""
        Scalp micropigmentation is a long-term treatment, but it is not frozen in time. Like any
        pigment in skin, it changes slowly. Knowing how and why helps you keep your result
        looking fresh for many years.

        ## What to expect

        SMP pigment stays in the skin for many years, so you will not wake up one day to find
        your treatment gone. The change is gradual: the dots become a little lighter and
        slightly softer. Most people find their treatment looks good for at least four years,
        and many go longer. A touch-up every three to six years is typical, though the right
        interval depends on your skin and way of life.

        ## Why SMP fades

        Several things play a part:

        - **Your skin renews itself.** The body slowly breaks down and clears some pigment, as it
          does with any tattoo.
        - **Sunlight.** Ultraviolet light is the biggest cause of fading, and a shaved scalp gets
          plenty of it.
        - **Skin type.** Oily skin, and skin that heals very quickly, can lose pigment sooner.
        - **Products and habits.** Exfoliating scrubs, strong peels, some acne treatments and
          frequent swimming in chlorinated water can all speed things up.
        - **The original work.** Pigment at the right depth holds well. Dots placed too shallow
          fade fast; dots placed too deep tend to spread and turn blue-grey.

        ## What a touch-up involves

        A touch-up is usually a single session, shorter than the original ones. The artist looks
        at how your treatment has aged, adds dots where density has dropped, and may adjust the
        shade or refine the hairline. It is also a chance to adapt the work to changes in your
        own hair: if you have lost more hair around the treated area, the pattern can be
        extended to match.

        Prices vary. Some clinics include one touch-up in the first year; others charge per
        session. Ask before you book so there are no surprises.

        ## How to make it last

        1. **Protect your scalp from the sun.** Wear a hat outdoors, or a high-factor sunscreen
           on any day your head is exposed for long.
        2. **Moisturise.** A healthy, hydrated scalp shows pigment more clearly than a dry one.
        3. **Be gentle.** Keep abrasive scrubs and peels away from the treated area.
        4. **Keep your haircut consistent.** SMP is designed around a particular length of real
           hair; letting it grow much longer makes the pigment look out of place.
        5. **Return to the same artist** when you can. They know your shade and pattern and can
           match their own earlier work.

        ## When fading signals a problem

        Even, gentle lightening over several years is normal. Patchy loss within months, dots
        that blur together, or a shade turning blue or green are not. They usually point to how
        the pigment was placed, or to the pigment itself. A skilled artist can often correct
        them, but it is worth asking at the consultation how they would handle such problems,
        before you ever need to know.

        ## The bottom line

        Think of SMP as permanent, with maintenance. Look after your scalp, plan for a short
        touch-up every few years, and your treatment can keep looking natural for a long time.
        """,
    ),
    SampleArticle(
        slug="smp-cost",
        title="How much does scalp micropigmentation cost?",
        category="planning-and-cost",
        summary=(
            "Typical SMP prices in six countries, what pushes a quote up or down, the costs "
            "people forget, and how to compare quotes fairly."
        ),
        published=(2025, 7, 1),
        motif="grid",
        hero_alt=(
            "Illustration of three heads seen from above with different areas dotted: a crown, "
            "a hairline and a full head"
        ),
        body="""
        Prices for scalp micropigmentation vary widely between cities and artists. Covering a
        small scar may cost a few hundred; a full shaved look over a large area can cost several
        thousand. This guide explains what drives the price and gives typical ranges for a few
        countries.

        ## Typical price ranges

        The figures below are indicative ranges for a full treatment of several sessions,
        prepared for this demonstration site. They are not quotes: your own price depends on
        your scalp and on the artist you choose.

        | Country | Typical full treatment |
        |---|--:|
        | United States | about $2,000–$4,000 |
        | United Kingdom | about £1,200–£2,200 |
        | Canada | about C$2,500–C$5,000 |
        | Australia | about A$2,500–A$5,500 |
        | Germany | about €1,500–€3,000 |
        | Spain | about €1,000–€2,500 |

        Within a country, prices tend to be higher in big cities and at clinics with well-known
        artists, and lower in smaller towns.

        ## What affects the price

        - **The area treated.** A full head of shaved-look SMP takes longer than a crown, a
          hairline or a single scar.
        - **The kind of work.** Scar camouflage and alopecia can need extra sessions, because
          scar tissue and patchy skin take pigment unevenly. Density work for women is often
          priced separately.
        - **The number of sessions.** Most quotes cover about three; ask what happens if you need
          a fourth.
        - **The artist's experience.** Established artists with strong healed portfolios usually
          charge more, and are often worth it.
        - **Location.** Rents and wages differ hugely between cities and countries.
        - **What is included.** Some prices include aftercare products and a first-year
          touch-up; others do not.

        ## Costs people forget

        Ask about the whole picture before comparing prices:

        1. Is the consultation free?
        2. Is a deposit needed, and can it be refunded?
        3. Are all sessions included, or priced one by one?
        4. What will a touch-up cost in a few years?
        5. Are corrections charged if something needs adjusting?

        Think long term, too. Most treatments need a refresh every few years, so put that in
        your budget.

        ## What artists quote in your city

        Every [city page in our directory](/clinics/) shows what artists there have quoted
        through this site: the median price and the range of the middle half of quotes, once
        at least five replies from three or more clinics have come in. They are real quotes,
        rounded, so no single clinic's price can be read off them.

        ## Is cheaper ever better?

        A low price is tempting, but poor SMP is expensive to put right. Correcting dots that
        have spread, or a hairline that looks wrong, can mean laser removal and a second
        treatment, costing far more than good work would have in the first place. Compare
        artists on their healed results first and on price second.

        ## Travelling for treatment

        Some people travel to another city or country for a particular artist or a lower price.
        If you do, plan for several sessions some time apart, add travel and accommodation to
        your sums, and think about how you would reach the artist for a touch-up or a problem
        later on.

        ## Getting an accurate quote

        Nobody can price your treatment exactly without seeing your hair loss. Through this site
        you can send a few photos and ask one approved artist, or every approved artist in your
        city, for a free and confidential quote. Comparing two or three written quotes side by
        side is the surest way to learn what a fair price looks like where you live.
        """,
    ),
]

# (slug, question, answer, category slug or None, order)
FAQ = [
    (
        "what-is-smp",
        "What is scalp micropigmentation?",
        "A cosmetic treatment in which an artist places thousands of tiny dots of pigment in "
        "the skin of the scalp. They imitate the look of closely cut hair, make thin hair look "
        "denser, or disguise scars. Nothing grows: it changes how hair loss looks. Read more in "
        "[What is scalp micropigmentation?](/articles/what-is-scalp-micropigmentation/)",
        "understanding-smp",
        0,
    ),
    (
        "does-smp-look-natural",
        "Does SMP look natural?",
        "In skilled hands, yes: most people will simply assume you have a buzz cut. The keys are "
        "dots that vary in size and spacing, a shade that suits your skin and a soft hairline "
        "that fits your age. Always judge an artist by healed results, not photos taken on the "
        "day.",
        "understanding-smp",
        1,
    ),
    (
        "can-women-have-smp",
        "Can women have SMP?",
        "Yes. Women usually keep their hair long and have pigment placed between the hairs, so "
        "a wide parting or a thin crown shows less scalp. The haircut does not need to change. "
        "Ask to see density work on women, as it is a different skill from a shaved look.",
        "understanding-smp",
        2,
    ),
    (
        "does-smp-help-hair-grow",
        "Will SMP make my hair grow back?",
        "No. SMP does not affect hair growth in either direction: it neither regrows hair nor "
        "harms the follicles you have. If your hair is still thinning, talk to a doctor about "
        "the cause; your artist can plan the treatment around future loss.",
        "understanding-smp",
        3,
    ),
    (
        "can-smp-hide-scars",
        "Can SMP hide hair transplant scars?",
        "Often, yes. Both the line left by strip (FUT) surgery and the small dots from FUE can "
        "be blended into the surrounding pattern so that short hair no longer shows them. Scar "
        "tissue takes pigment unevenly, so it may need an extra session.",
        "understanding-smp",
        4,
    ),
    (
        "does-smp-hurt",
        "Does SMP hurt?",
        "Most people find it uncomfortable rather than painful: a scratching, prickling feeling "
        "that is stronger on some areas, such as the crown. Some clinics offer a numbing cream, "
        "and you can ask for breaks.",
        "your-treatment",
        0,
    ),
    (
        "how-many-sessions",
        "How many sessions will I need?",
        "Usually three, sometimes four, spaced about a week to several weeks apart. Small areas "
        "may need fewer; scars and alopecia may need more. Each session lasts from about two to "
        "five hours.",
        "your-treatment",
        1,
    ),
    (
        "recovery-time",
        "How long is the recovery?",
        "Redness and tenderness usually fade within a few days, and most people go back to work "
        "the next day. Keep the scalp dry at first, and avoid heavy sweating, swimming, saunas "
        "and strong sun for the weeks your artist advises. See [sessions and aftercare]"
        "(/articles/smp-sessions-and-aftercare/).",
        "your-treatment",
        2,
    ),
    (
        "how-long-does-smp-last",
        "How long does SMP last?",
        "Many years. The dots soften and lighten slowly, and most people want a short touch-up "
        "every three to six years. Sun protection makes the biggest difference to how long a "
        "treatment stays fresh.",
        "your-treatment",
        3,
    ),
    (
        "keep-head-shaved",
        "Do I have to keep my head shaved?",
        "With a shaved-look treatment, yes: keep the real hair around it clipped short so it "
        "matches the dots. With a density treatment for longer hair, you keep your usual "
        "length.",
        "your-treatment",
        4,
    ),
    (
        "how-much-does-smp-cost",
        "How much does SMP cost?",
        "It depends on the area, the kind of work and the artist. As a rough guide, a full "
        "treatment costs about $2,000–$4,000 in the United States and about £1,200–£2,200 in "
        "the United Kingdom. See [our cost guide](/articles/smp-cost/) for more countries, "
        "and each [city page](/clinics/) for what artists there have quoted.",
        "planning-and-cost",
        0,
    ),
    (
        "how-to-choose-an-artist",
        "How do I choose an SMP artist?",
        "Look at healed results on people like you, ask about training and experience with your "
        "kind of hair loss, check the hygiene of the clinic and get a written price. Every "
        "clinic in this directory is reviewed and approved by our staff.",
        "planning-and-cost",
        1,
    ),
    (
        "can-smp-be-removed",
        "Can SMP be removed or corrected?",
        "Treat it as permanent. A skilled artist can often improve uneven work, and dots that "
        "are too dark or have spread can be lightened with laser treatment over several "
        "sessions, though not always completely. Choosing carefully is far easier.",
        "planning-and-cost",
        2,
    ),
    (
        "is-this-content-real",
        "Are the articles, answers and clinics on this site real?",
        "Not yet. This is a demonstration: the articles and answers are **sample content** "
        "written for it, and the clinics, artists and prices are invented sample listings.",
        None,
        0,
    ),
]

MOTIF_COLOURS = {
    "full": ((31, 58, 95), (70, 110, 150)),
    "density": ((86, 60, 110), (150, 110, 160)),
    "hairline": ((30, 90, 80), (90, 150, 130)),
    "layers": ((120, 70, 40), (190, 140, 90)),
    "balance": ((40, 60, 70), (110, 140, 150)),
    "scar": ((95, 45, 55), (170, 110, 115)),
    "detail": ((50, 50, 80), (120, 120, 170)),
    "fade": ((20, 80, 110), (110, 170, 190)),
    "grid": ((70, 80, 40), (150, 160, 100)),
}


def _hero_image(seed: int, motif: str) -> bytes:
    """A drawn illustration: heads seen from above, dotted according to the article's theme."""
    rng = random.Random(seed)
    width, height = HERO_SIZE
    top, bottom = MOTIF_COLOURS[motif]
    image = Image.new("RGB", HERO_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )

    skin = rng.choice([(232, 200, 172), (205, 160, 125), (170, 120, 88), (120, 82, 58)])
    pigment = (40, 34, 32)
    heads = [
        (width / 6, height / 2, 150),
        (width / 2, height / 2, 150),
        (5 * width / 6, height / 2, 150),
    ]
    if motif != "grid":
        heads = [(width / 2, height / 2, 250)]
    if motif == "detail":
        draw.ellipse(
            [width / 2 - 280, height / 2 - 280, width / 2 + 280, height / 2 + 280], fill=skin
        )
        for _ in range(900):
            x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
            if x * x + y * y < 0.92:
                r = rng.uniform(3, 7)
                cx, cy = width / 2 + x * 270, height / 2 + y * 270
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=pigment)
        return _jpeg(image.filter(ImageFilter.GaussianBlur(0.8)))

    for index, (cx, cy, radius) in enumerate(heads):
        rx, ry = radius * 0.82, radius
        draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=skin)
        for _ in range(int(7000 * (radius / 250) ** 2)):
            x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
            if x * x + y * y > 0.96:
                continue
            if not _dotted(motif, x, y, index, rng):
                continue
            r = rng.uniform(1.0, 2.0)
            px, py = cx + x * rx, cy + y * ry
            draw.ellipse([px - r, py - r, px + r, py + r], fill=_shade(motif, x, skin, pigment))
        if motif == "hairline":
            draw.arc(
                [cx - rx * 0.8, cy - ry * 0.95, cx + rx * 0.8, cy - ry * 0.25],
                200,
                340,
                fill=(250, 250, 250),
                width=4,
            )
        if motif == "density":
            for _ in range(70):
                x0 = cx + rng.uniform(-rx * 0.8, rx * 0.8)
                y0 = cy + rng.uniform(-ry * 0.8, ry * 0.6)
                draw.line(
                    [x0, y0, x0 + rng.uniform(-30, 30), y0 + rng.uniform(60, 120)],
                    fill=(60, 45, 35),
                    width=2,
                )
        if motif == "scar":
            draw.rounded_rectangle(
                [cx - rx * 0.7, cy + ry * 0.25, cx + rx * 0.7, cy + ry * 0.33],
                radius=6,
                fill=tuple(min(255, c + 25) for c in skin),
            )
    return _jpeg(image.filter(ImageFilter.GaussianBlur(0.6)))


def _dotted(motif: str, x: float, y: float, head: int, rng: random.Random) -> bool:
    if motif == "layers":
        return rng.random() < 0.95 - (y + 1) * 0.38
    if motif == "balance":
        return x > 0
    if motif == "hairline":
        return y > -0.55 and rng.random() < 0.55
    if motif == "density":
        return rng.random() < 0.45
    if motif == "grid":
        return (head == 0 and y > 0) or (head == 1 and y < -0.3) or head == 2
    if motif == "scar":
        return not (0.25 < y < 0.33 and rng.random() < 0.8)
    return True


def _shade(motif: str, x: float, skin, pigment):
    if motif != "fade":
        return pigment
    t = (x + 1) / 2 * 0.9  # lighter towards the right
    return tuple(int(p + (s - p) * t) for p, s in zip(pigment, skin, strict=True))


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def _stored_hero(seed: int, article: SampleArticle) -> str:
    """Generate an article's hero once; later runs reuse the stored file."""
    name = f"demo/articles/{article.slug}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(_hero_image(seed, article.motif)))
    return name


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """update_or_create that saves only when something changed, so updated_at stays put."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


@transaction.atomic
def load_articles() -> dict[str, int]:
    """Create or refresh the sample articles and FAQ. Safe to run any number of times."""
    categories = {
        slug: _upsert(
            Category, {"slug": slug}, {"name": name, "description": description, "order": order}
        )
        for order, (slug, name, description) in enumerate(CATEGORIES)
    }
    for seed, sample in enumerate(ARTICLES):
        _upsert(
            Article,
            {"slug": sample.slug},
            {
                "title": sample.title,
                "category": categories[sample.category],
                "summary": sample.summary,
                "body": f"{SAMPLE_NOTE}\n\n{dedent(sample.body).strip()}\n",
                "hero_image": _stored_hero(seed, sample),
                "hero_alt": sample.hero_alt,
                "author_name": AUTHOR,
                "status": Article.Status.PUBLISHED,
                "published_at": datetime(*sample.published, 9, 0, tzinfo=UTC),
            },
        )
    for slug, question, answer, category, order in FAQ:
        _upsert(
            FaqEntry,
            {"slug": slug},
            {
                "question": question,
                "answer": answer,
                "category": categories[category] if category else None,
                "order": order,
                "published": True,
            },
        )
    return {
        "categories": len(categories),
        "articles": len(ARTICLES),
        "faq_entries": len(FAQ),
    }


SCALE_SLUG_PREFIX = "sample-guide-"


def load_scale_articles(count: int) -> int:
    """Add `count` short published sample articles for benchmarks (bulk, rendered once).

    Running it again with the same count changes nothing; another count replaces them.
    """
    scale = Article.objects.filter(slug__startswith=SCALE_SLUG_PREFIX)
    if scale.count() == count:
        return count
    categories = list(Category.objects.order_by("pk"))
    template = ARTICLES[0]
    body = f"{SAMPLE_NOTE}\n\n{dedent(template.body).strip()}\n"
    rendered = render_markdown(body)
    toc = [h for h in rendered.headings if h["level"] == 2]
    with transaction.atomic():
        scale.delete()
        Article.objects.bulk_create(
            [
                Article(
                    title=f"Sample guide {n:04d}: {template.title}",
                    slug=f"{SCALE_SLUG_PREFIX}{n:04d}",
                    category=categories[n % len(categories)] if categories else None,
                    summary=template.summary,
                    body=body,
                    body_html=rendered.html,
                    toc=toc,
                    word_count=rendered.word_count,
                    author_name=AUTHOR,
                    status=Article.Status.PUBLISHED,
                    published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n),
                )
                for n in range(count)
            ],
            batch_size=500,
        )
    return count
