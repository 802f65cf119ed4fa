"""The forms of the ledger import: the upload (which file; the period is the page's) and
a ledger code with the product or taakveld it stands for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.reading import MAX_FILE_BYTES, too_large_message

from .models import Product, TaskField


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een Excel-werkmap (.xlsx) of een CSV-bestand volgens het sjabloon."),
        error_messages={"required": _("Kies het bestand met de bedragen.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload

    def content(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_FILE_BYTES + 1)


class LedgerCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Grootboekcode"),
        max_length=50,
        help_text=_("De code zoals het financiële systeem hem in de export zet."),
        error_messages={"required": _("Vul de grootboekcode in.")},
    )
    product = forms.ModelChoiceField(
        Product.objects.none(),
        label=_("Product"),
        required=False,
        help_text=_("Kies een product, of anders een taakveld."),
        error_messages={"invalid_choice": _("Kies een product van uw organisatie.")},
    )
    task_field = forms.ModelChoiceField(
        TaskField.objects.all(),
        label=_("Taakveld"),
        required=False,
        error_messages={"invalid_choice": _("Kies een taakveld uit de lijst.")},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # The active organisation's products (scoped manager, and said again).
        products = Product.objects.filter(programme__organisation=organisation).select_related(
            "programme"
        )
        self.fields["product"].queryset = products
        groups: dict[str, list] = {}
        for product in products.order_by("programme__name", "order", "name"):
            groups.setdefault(product.programme.name, []).append((product.pk, product.name))
        self.fields["product"].widget.choices = [("", "---------"), *groups.items()]

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("product")) == bool(data.get("task_field")):
            raise forms.ValidationError(
                _("Koppel de code aan een product óf aan een taakveld."), code="target"
            )
        return data
