"""Issue 25, item 8, for the tutor's send-back: without a reason, the situation's page shows
again (400) with the tutor's form open, the error beside the reason (aria-invalid,
aria-describedby) and in the summary; nothing changes. This reproduced the bug: the page
redirected and the error was only in the banner at the top."""

import re
from html import unescape

from django.urls import reverse

from livret.competences.models import Situation


def test_a_send_back_without_a_reason_is_said_beside_the_reason(client, world):
    situation = world.situation
    client.force_login(world.users["tutor_x"])
    r = client.post(
        reverse("situation_validate", args=[situation.pk]), {"comment": "  ", "action": "return"}
    )
    html = unescape(r.content.decode())
    assert r.status_code == 400
    beside = re.search(r'<ul[^>]*id="id_comment_error"[^>]*>(.*?)</ul>', html, re.S)
    assert beside and "Écrivez ce que l'apprenti doit reprendre" in beside.group(1)
    control = re.search(r'<textarea[^>]*id="id_comment"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in control and "id_comment_error" in control
    assert 'href="#id_comment"' in html  # the summary links to it
    assert 'value="return"' in html  # the send-back form is there, open
    situation.refresh_from_db()
    assert situation.state == Situation.PENDING and not situation.return_reason


def test_a_send_back_with_its_reason_still_redirects(client, world):
    situation = world.situation
    client.force_login(world.users["tutor_x"])
    r = client.post(
        reverse("situation_validate", args=[situation.pk]),
        {"comment": "Précisez l'heure.", "action": "return"},
    )
    assert r.status_code == 302
    situation.refresh_from_db()
    assert situation.state == Situation.RETURNED and situation.return_reason == "Précisez l'heure."
