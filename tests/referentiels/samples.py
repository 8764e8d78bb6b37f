"""A small valid référentiel, written out so that tests can point at exact lines."""

MINIMAL = """\
format: 1
id: bts-test
version: 2026-01-15
title: BTS de test
kind: bts
rncp:
  code: RNCP99999
completeness: complete
sources: [seeds/001]
candidate_statuses:
  - {code: approved, title: Établissement habilité}
  - {code: other, title: Autres candidats}
poles:
  - code: P1
    title: Pôle un
    activities:
      - code: A1.1
        title: Activité un
        tasks:
          - {code: A1.1T1, title: Tâche un}
        competences:
          - {code: A1.1C1, title: Compétence un}
          - {code: A1.1C2, title: Compétence deux}
        knowledge:
          - {code: A1.1S1, title: Savoir un, limits: Les limites}
competences:
  - {code: CX1, title: Compétence hors pôle}
blocs:
  - code: B1
    title: Bloc un
    unit: U1
    competences: [A1.1C1, A1.1C2]
  - code: B2
    title: Bloc deux
    competences: [CX1]
units:
  - {code: U1, title: Unité un, domain: professional}
  - {code: U21, title: Unité deux-un, domain: general}
  - {code: U22, title: Unité deux-deux, domain: general}
exams:
  - code: E1
    title: Épreuve un
    unit: U1
    coefficient: 4
    forms:
      approved: {form: ccf, situations: 1}
      other: {form: oral, duration_minutes: 30}
    competences: [A1.1C1]
  - code: E2
    title: Épreuve deux
    coefficient: 3
    parts:
      - {code: E21, title: Sous-épreuve un, unit: U21, coefficient: 1.5}
      - {code: E22, title: Sous-épreuve deux, unit: U22, coefficient: 1.5}
hour_grid:
  lines:
    - subject: Matière un
      years: [{weekly: 2, annual: 72}, {weekly: 3, annual: 108}]
    - subject: Matière deux
      years: [{weekly: 4, annual: 144}, {weekly: 1, annual: 36}]
  total:
    years: [{weekly: 6, annual: 216}, {weekly: 4, annual: 144}]
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` (the test's own way to locate it)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in sample")
