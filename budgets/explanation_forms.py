"""Forms of the variance explanations and of a product's figures: they convert what a
user typed (amounts only through measures.money.parse_amount) and validate it; the
writes are budgets.services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.money import AmountError, format_euros, parse_amount

from .models import Category, Column
from .services import FigureRow


def euros_field(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


def parsed_euros(text: str) -> int:
    """Whole euros from what was typed, or a Dutch message at the field."""
    try:
        return parse_amount(text, allow_pm=False).euros
    except AmountError as error:
        raise forms.ValidationError(error.message, code=error.code) from None


def typed_euros(euros: int) -> str:
    """An amount as a user types it back: "-2.300.000"."""
    return format_euros(euros).removeprefix("€ ")


class ExplanationForm(forms.Form):
    """An explanation's label, products, signed amount in euros and text. `version` is the
    row's as the form was opened (empty for a new one): saving compares it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        help_text=_("Bijvoorbeeld 'Centrumtaak WMO/Beschermd wonen'."),
        error_messages={
            "required": _("Vul het onderwerp in."),
            "max_length": _("Een onderwerp heeft ten hoogste 200 tekens."),
        },
    )
    products = forms.MultipleChoiceField(
        label=_("Producten"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("De producten waarvan deze toelichting het verschil verklaart."),
    )
    amount = euros_field(
        _("Bedrag in euro's"),
        help_text=_(
            "In hele euro's: positief is voordeel, negatief nadeel, zoals -2.300.000 voor "
            "€ 2,3 miljoen nadeel."
        ),
        error_messages={"required": _("Vul het bedrag in.")},
    )
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Waarom wijkt het resultaat af van de begroting?"),
    )

    def __init__(self, *args, products, explanation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.products_by_pk = {str(product.pk): product for product in products}
        self.fields["products"].choices = [(str(product.pk), product.name) for product in products]
        self.fields["products"].error_messages["invalid_choice"] = _(
            "Kies producten van het eigen programma."
        )
        if explanation is not None and not self.is_bound:
            self.initial.update(
                version=explanation.version,
                label=explanation.label,
                products=[str(pk) for pk in explanation.product_ids],
                amount=typed_euros(explanation.amount),
                text=explanation.text,
            )

    def clean_amount(self):
        return parsed_euros(self.cleaned_data["amount"])

    def chosen_products(self) -> list:
        return [self.products_by_pk[pk] for pk in self.cleaned_data["products"]]


class ReturnExplanationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van terugsturen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De schrijver ziet deze reden bij de toelichting."),
        error_messages={"required": _("Geef aan waarom u dit terugstuurt.")},
    )


# The grid of a product's figures: the rows and columns a year's amounts can have.
GRID_CATEGORIES = list(Category)
GRID_COLUMNS = list(Column)


def cell_name(category: str, column: str) -> str:
    return f"{category}-{column}"


class FiguresForm(forms.Form):
    """A product's amounts of one year: a field per category and column, in whole euros;
    empty means no figure (a stored one is removed)."""

    def __init__(self, *args, product, year: int, stored: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.product, self.year = product, year
        for category in GRID_CATEGORIES:
            for column in GRID_COLUMNS:
                name = cell_name(category.value, column.value)
                self.fields[name] = euros_field(
                    _("%(category)s, %(column)s")
                    % {"category": category.label, "column": column.label},
                    required=False,
                )
                amount = stored.get((category.value, column.value))
                if amount is not None and not self.is_bound:
                    self.initial[name] = typed_euros(amount)

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            text = (cleaned.get(name) or "").strip()
            if not text:
                cleaned[name] = None
                continue
            try:
                cleaned[name] = parsed_euros(text)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def grid(self):
        """The fields as the table shows them: (category, [bound field per column])."""
        return [
            (
                category,
                [self[cell_name(category.value, column.value)] for column in GRID_COLUMNS],
            )
            for category in GRID_CATEGORIES
        ]

    def rows(self) -> list[tuple[str, FigureRow]]:
        """A FigureRow per cell (None removes the stored amount), with its field's name."""
        return [
            (
                cell_name(category.value, column.value),
                FigureRow(
                    year=self.year,
                    category=category.value,
                    column=column.value,
                    amount=self.cleaned_data[cell_name(category.value, column.value)],
                    product=self.product,
                ),
            )
            for category in GRID_CATEGORIES
            for column in GRID_COLUMNS
        ]
