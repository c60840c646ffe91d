"""The login form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

MSG_EMAIL = _l("Enter your e-mail address.")
MSG_PASSWORD = _l("Enter your password.")


class LoginForm(FlaskForm):
    """E-mail and password; `next` is where to go afterwards (a path on this site)."""

    email = EmailField(_l("E-mail address"), validators=[DataRequired(MSG_EMAIL), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(MSG_PASSWORD), Length(max=512)])
    next = HiddenField()
