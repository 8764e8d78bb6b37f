"""What a dispensation ground code means, in the words of the règlement d'examen.

The codes name the diploma a candidate already holds; they are shared by the référentiel files
(`dispensations[].grounds`). Wording from the BTS MOS règlement d'examen, annexe II b (seed 001):
« candidats déjà titulaires d'un BTS d'une autre spécialité, d'un DUT ou d'un diplôme national de
niveau 5 ou supérieur » (U1, U21, U22); « titulaires d'un BTS tertiaire d'une autre spécialité,
d'un DUT ou d'une licence ayant validé une ou des unités d'enseignement d'économie-droit et de
management » (U3). A code no text names is shown as it is written in the file.
"""

LABELS = {
    "other_bts": "titulaire d'un BTS d'une autre spécialité",
    "dut": "titulaire d'un DUT",
    "level5_diploma": "titulaire d'un diplôme national de niveau 5 ou supérieur",
    "tertiary_bts_economics_law_management": (
        "titulaire d'un BTS tertiaire d'une autre spécialité ayant validé l'économie-droit "
        "et le management"
    ),
    "dut_economics_law_management": (
        "titulaire d'un DUT ayant validé l'économie-droit et le management"
    ),
    "licence_economics_law_management": (
        "titulaire d'une licence ayant validé l'économie-droit et le management"
    ),
}


def label(code: str) -> str:
    return LABELS.get(code, code)
