import pytest
from django.urls import reverse

from tests.articles.html import h1_count, json_ld
from tests.factories import CategoryFactory, FaqEntryFactory

pytestmark = pytest.mark.django_db
FAQ = reverse("articles:faq")


def test_questions_are_grouped_by_category_each_with_its_own_anchor(client):
    later = CategoryFactory(name="Costs", slug="costs", order=2)
    first = CategoryFactory(name="Basics", slug="basics", order=1)
    FaqEntryFactory(question="What does it cost?", slug="cost", category=later)
    FaqEntryFactory(question="Does it hurt?", slug="pain", category=first, order=2)
    FaqEntryFactory(question="What is SMP?", slug="what", category=first, order=1)
    FaqEntryFactory(question="Who runs this site?", slug="site", category=None)
    FaqEntryFactory(question="Hidden question?", slug="hidden", published=False)
    response = client.get(FAQ)
    assert response.status_code == 200
    groups = [
        (g["category"].name if g["category"] else None, [e.slug for e in g["entries"]])
        for g in response.context["groups"]
    ]
    assert groups == [("Basics", ["what", "pain"]), ("Costs", ["cost"]), (None, ["site"])]
    html = response.content.decode()
    assert h1_count(html) == 1
    assert '<h2 class="faq__topic" id="topic-basics">Basics</h2>' in html
    assert '<h2 class="faq__topic" id="topic-general">General questions</h2>' in html
    assert '<div class="faq__item" id="pain">' in html
    assert '<a class="faq__anchor" href="#pain">Does it hurt?</a>' in html
    assert "Hidden question?" not in html


def test_answers_are_rendered_from_markdown(client):
    FaqEntryFactory(answer="See [the cost guide](/articles/smp-cost/).\n\n<script>x</script>")
    html = client.get(FAQ).content.decode()
    assert '<a href="/articles/smp-cost/">the cost guide</a>' in html
    assert "<script>x</script>" not in html


def test_it_has_faq_page_json_ld(client):
    FaqEntryFactory(question="Does it hurt?", answer="A *little*.", order=1)
    FaqEntryFactory(question="How long?", answer="Years.", order=2)
    [data] = json_ld(client.get(FAQ).content.decode())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"] == [
        {
            "@type": "Question",
            "name": "Does it hurt?",
            "acceptedAnswer": {"@type": "Answer", "text": "<p>A <em>little</em>.</p>\n"},
        },
        {
            "@type": "Question",
            "name": "How long?",
            "acceptedAnswer": {"@type": "Answer", "text": "<p>Years.</p>\n"},
        },
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_the_query_count_is_fixed(client, django_assert_max_num_queries, count):
    for category in CategoryFactory.create_batch(3):
        FaqEntryFactory.create_batch(count, category=category)
    with django_assert_max_num_queries(1):
        assert client.get(FAQ).status_code == 200
