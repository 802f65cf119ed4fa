"""The values form of an indicator in a period (issue 10 item 5): the period's values of
each year, kind and part, added, changed and removed in one all-or-nothing save."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from measures.models import ReportingPeriod

from . import services
from .formatting import format_value
from .forms import ValueForm, ValueFormSet
from .models import Indicator, IndicatorValue


def values_form(request, pk: int, period_pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("national", "programme"), pk=pk)
    period = get_object_or_404(
        ReportingPeriod.objects.defer("frozen_report"), pk=period_pk, programme=indicator.programme
    )
    if not indicator.can_be_updated_by(request.user):
        raise PermissionDenied(_("U mag deze indicator niet bijwerken."))
    parts = list(indicator.parts.all())
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, period=period).select_related("part")
    )
    context = {"indicator": indicator, "period": period, "parts": parts}
    if period.is_closed:
        shown = [
            (
                value,
                format_value(
                    value.value,
                    decimals=indicator.decimals,
                    suffix=indicator.value_suffix,
                    qualifier=value.qualifier,
                ),
            )
            for value in values
        ]
        return render(
            request, "indicators/values_form.html", {**context, "read_only": True, "shown": shown}
        )
    kwargs = {"indicator": indicator, "parts": parts}
    initial = [ValueForm.initial_of(value, indicator.decimals) for value in values]
    formset = ValueFormSet(
        request.POST or None, initial=initial, form_kwargs=kwargs, prefix="waarden"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_values(
                indicator=indicator, period=period, user=request.user, rows=formset.rows()
            )
        except services.ValueRowsError as error:
            forms = formset.entered()
            for index, errors in error.by_row.items():
                form = forms[index]
                for field, field_errors in errors.items():
                    form.add_error(field if field in form.fields else None, field_errors)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(
                [*formset.non_form_errors(), *error.messages], error_class="nonform"
            )
        else:
            messages.success(
                request,
                _("De waarden van %(i)s in %(p)s zijn opgeslagen.")
                % {"i": indicator, "p": period.name},
            )
            return redirect("indicators:values_form", indicator.pk, period.pk)
    return render(request, "indicators/values_form.html", {**context, "formset": formset})
