"""What waits for staff in reviews, on the admin index (templates/admin/index.html)."""

from django import template

from ..models import ClinicReply, Review, ReviewPhoto

register = template.Library()


@register.inclusion_tag("admin/reviews/includes/review_watch.html")
def review_watch() -> dict:
    return {
        "pending_reviews": Review.objects.filter(status=Review.Status.PENDING).count(),
        "pending_replies": ClinicReply.objects.filter(status=Review.Status.PENDING).count(),
        "flagged_photos": ReviewPhoto.objects.awaiting_staff().count(),
    }
