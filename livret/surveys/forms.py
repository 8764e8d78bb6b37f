from django import forms

from livret.engine import surveys as engine
from livret.web.forms import style

from .models import Survey

DEFAULT_QUESTIONS = {
    Survey.LEARNERS: [
        "Les contenus de la formation ont répondu à mes attentes.",
        "L'approche pédagogique des formateurs m'a permis de progresser.",
        "L'alternance entre le centre et l'entreprise était bien organisée.",
        "Les visites et entretiens de suivi m'ont été utiles.",
        "Le livret m'a aidé à savoir où j'en étais.",
        "[oui/non] Je recommanderais cette formation.",
        "[texte] Ce que vous garderiez, ce que vous changeriez.",
    ],
    Survey.TUTORS: [
        "J'ai été informé du déroulement de la formation et du calendrier.",
        "Le livret m'a permis de suivre la progression de l'apprenti.",
        "Les échanges avec les formateurs ont été suffisants.",
        "[oui/non] J'accueillerais un autre alternant de ce centre.",
        "[texte] Vos suggestions.",
    ],
}


class SurveyForm(forms.ModelForm):
    questions_text = forms.CharField(
        label="Questions",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Une question par ligne. Sans préfixe : accord de 1 à 5. "
        "« [oui/non] » en début de ligne : oui ou non. « [texte] » : réponse libre.",
    )

    class Meta:
        model = Survey
        fields = ["title", "audience", "moment", "cohorts"]
        widgets = {"cohorts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the centre's own cohorts may be chosen.
        self.fields["cohorts"].queryset = cohorts
        if self.instance.pk:
            self.fields["questions_text"].initial = "\n".join(
                q.as_line() for q in self.instance.parsed
            )
        else:
            self.fields["questions_text"].initial = "\n".join(DEFAULT_QUESTIONS[Survey.LEARNERS])
        style(self)

    def clean_questions_text(self):
        questions, errors = engine.parse_questions(self.cleaned_data["questions_text"])
        if errors:
            raise forms.ValidationError(errors)
        self.cleaned_questions = questions
        return self.cleaned_data["questions_text"]
