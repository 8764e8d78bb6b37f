"""axe-core in a real Chromium on every HTML page each role can open (the pages come from the
rights matrix, so a new page is checked as soon as it is declared there): no serious or critical
violation, and nothing wider than a 390 px phone screen. Downloads (PDF, XLSX, CSV, JSON, ICS, images) are not pages."""

import collections

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.access.test_matrix import CENTRE_ROLES, RULES, build_world, fill, kwargs_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOWNLOADS = {
    "livret_pdf",
    "bulletin_pdf",
    "cohort_ari_pdf",
    "ccf_convocation",
    "survey_export",
    "job_file",
    "job_state",
    "grid_xlsx",
    "exam_csv",
    "exam_pv",
    "exam_pv_number",
    "exam_transcript",
    "exam_blocs",
    "personal_data",
    "evidence",
    "badge_download",
    "learner_ics",
    "badge_issuer",
    "badge_jwks",
    "badge_key",
    "badge_status_list",
    "import_template",
    "import_template_values",
    "exam_import_template",
    "centre_logo",
    "vae_dossier_pdf",
    "vae_decision_pdf",
    "vae_convocation_pdf",
    "vae_leave_certificate_pdf",
    "workshop_export",
    "attendance_sheet_pdf",
    "attendance_certificate",
    "attendance_cohort_month",
    "attendance_code_json",
    "attendance_justification_file",
    "attendance_ics",
    "logout",
}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ROLES = (
    "manager",
    "trainer",
    "tutor",
    "learner",
    "exam_admin",
    "admin",
    "certifier",
    "candidate",
    "guide",
)


def pages_for(role, centre, patterns):
    for name, pattern in patterns.items():
        r = RULES[name]
        if name in DOWNLOADS or name.startswith("api-v1:") or r.post_only or role not in r.ok:
            continue
        kinds = list(centre.objects["records"]) if "<slug:kind>" in pattern else [None]
        for kind in kinds[:2]:  # two kinds of the centre's records are enough: one template
            yield name, fill(pattern, kwargs_for(pattern, name, r, centre, kind))


def test_no_serious_or_critical_violation_on_any_page_of_any_role(
    browser, live_server, django_user_model, tmp_path, settings
):
    from django.urls import get_resolver

    from tests.access.test_matrix import walk

    settings.AXES_ENABLED = False
    centres, users = build_world(django_user_model, tmp_path, settings)
    cfa = centres["cfa"]
    actors = {role: cfa.users[role] for role in CENTRE_ROLES}
    actors.update(admin=users["admin"], certifier=users["certificateur"])
    actors["candidate"] = cfa.users["candidate"]
    actors["guide"] = cfa.users["guide"]
    patterns = {
        name: pattern
        for pattern, name, _ in walk(get_resolver().url_patterns)
        if name in RULES and not pattern.startswith("admin/")
    }
    axe = Axe()
    impacts = collections.Counter()
    failures, checked = [], 0
    for role in ROLES:
        user = actors[role]
        context = browser.new_context(bypass_csp=True, locale="fr-FR", viewport=DESKTOP)
        # Log in through a session cookie made by Django's test client machinery.
        from django.test import Client

        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        for _name, path in pages_for(role, cfa, patterns):
            response = page.goto(live_server.url + path)
            if response.status >= 400:
                failures.append((role, path, response.status))
                continue
            results = axe.run(page)
            checked += 1
            # The same page on a phone: nothing wider than the screen (a table scrolls in its box).
            page.set_viewport_size(PHONE)
            width = page.evaluate("document.documentElement.scrollWidth")
            page.set_viewport_size(DESKTOP)
            if width > PHONE["width"]:
                failures.append((role, path, "largeur à 390 px", width))
            for v in results.response["violations"]:
                impacts[v["impact"]] += 1
                if v["impact"] in ("serious", "critical"):
                    nodes = [n["target"] for n in v["nodes"][:3]]
                    failures.append((role, path, v["id"], v["impact"], nodes))
        context.close()
    print(f"\naxe : {checked} pages × rôles, violations par impact : {dict(impacts)}")
    assert checked > 60
    assert impacts["serious"] == 0 and impacts["critical"] == 0
    assert not failures, "\n".join(map(str, failures[:40]))
