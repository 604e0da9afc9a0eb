"""Value translation: from KPI movements and cited assumptions to money a CFO can check line by line."""

from narrator.value.assumptions import Assumptions, Parameter, load_assumptions, parse_assumptions
from narrator.value.checks import ClaimCheck, check_claim
from narrator.value.levers import customer_lifetime_value
from narrator.value.result import InputUsed, TranslationResult
from narrator.value.sequence import apply_in_sequence
from narrator.value.translators import (
    TRANSLATORS,
    ChannelShift,
    SlaPenalty,
    aht_capacity,
    attrition,
    channel_shift,
    churn_clv,
    citizen_time_saved,
    complaints_risk,
    containment,
    downtime_avoided,
    fcr_repeat_contacts,
    fcr_revenue_protected,
    retention_saves,
    sla_penalties,
)

__all__ = [
    "TRANSLATORS",
    "Assumptions",
    "ChannelShift",
    "ClaimCheck",
    "InputUsed",
    "Parameter",
    "SlaPenalty",
    "TranslationResult",
    "aht_capacity",
    "apply_in_sequence",
    "attrition",
    "channel_shift",
    "check_claim",
    "churn_clv",
    "citizen_time_saved",
    "complaints_risk",
    "containment",
    "customer_lifetime_value",
    "downtime_avoided",
    "fcr_repeat_contacts",
    "fcr_revenue_protected",
    "load_assumptions",
    "parse_assumptions",
    "retention_saves",
    "sla_penalties",
]
