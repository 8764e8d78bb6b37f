"""Issue 25, item 8, for choosing a new password through the e-mailed link: two passwords that
differ, or a weak one, are said beside their field (aria-invalid, aria-describedby) and in the
summary, status 400, the password unchanged. This reproduced the bug: hand-written inputs,
the errors only in a banner."""

import re

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def test_a_refused_new_password_is_said_beside_its_field(client, world):
    user = world.users["learner1"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form_page = client.get(link, follow=True)
    url = form_page.redirect_chain[-1][0]
    r = client.post(
        url,
        {"new_password1": "une toute nouvelle phrase", "new_password2": "une autre phrase"},
    )
    html = r.content.decode()
    assert r.status_code == 400
    control = re.search(r'<input[^>]*id="id_new_password2"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control and "id_new_password2_error" in control
    assert re.search(r'<ul[^>]*id="id_new_password2_error"', html)
    assert 'href="#id_new_password2"' in html and 'class="form-control' in control
    user.refresh_from_db()
    assert not user.check_password("une toute nouvelle phrase")
