from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign-in-sent"),
    path("sign-in/password/", views.password_sign_in, name="password-sign-in"),
    path("sign-in/code/", views.code, name="code"),
    path("sign-in/<str:token>/", views.use_sign_in_link, name="use-link"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("switch/", views.switch_clinic, name="switch-clinic"),
    path("team/", views.team, name="team"),
    path("security/", views.security_settings, name="security"),
    path("email-language/", views.email_language, name="email-language"),
    path("team/<int:member_id>/remove/", views.remove_member, name="remove-member"),
]
