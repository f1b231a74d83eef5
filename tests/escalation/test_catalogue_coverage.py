"""Issue 18: the indicator catalogue covers every item of seed 002 Table 1 and its Governance and
Strategic Change list, or says in the indicator's description why an item is kept as
intelligence instead."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from reporting.devtools.demo import CATALOGUE_DESCRIPTIONS

with open(Path(settings.BASE_DIR) / "fixtures/indicators.csv", newline="", encoding="utf-8") as file:
    CATALOGUE = {row["code"]: row for row in csv.DictReader(file)}

# seed 002 item | key area | the indicator that covers it (or whose description says why not)
SEED_002 = [
    ("Serious incidents", "quality_safety", "serious_incidents"),
    ("Breakdown of serious incidents (themes)", "quality_safety", "serious_incidents"),
    ("New serious incidents", "quality_safety", "new_serious_incidents"),
    ("Never events", "quality_safety", "never_events"),
    ("Mortality", "quality_safety", "mortality"),
    ("Clinical Audit", "quality_safety", "clinical_audit"),
    ("Internal / External Audit", "quality_safety", "external_audit"),
    ("C.diff rates", "quality_safety", "cdiff_rate"),
    ("MRSA rates", "quality_safety", "mrsa_cases"),
    ("HCAI/ pressure damage rates", "quality_safety", "pressure_damage"),
    ("Safety solutions compliance", "quality_safety", "safety_solutions"),
    ("Cost against the plan", "finance_activity", "cost_against_plan"),
    ("Activity against plan", "finance_activity", "activity_against_plan"),
    ("Any other cost and activity information considered useful", "finance_activity", "cost_against_plan"),
    ("Patient waiting times A&E", "access", "ae_four_hours"),
    ("RTT Urgent suspected cancers", "access", "cancer_62_days"),
    ("RTT Diagnostics", "access", "diagnostics_8_weeks"),
    ("RTT normal referrals", "access", "rtt_26_weeks"),
    ("Ambulance times", "access", "ambulance_handover"),
    ("Stroke bundles", "access", "stroke_bundle"),
    ("Public service ombudsman responses", "patient_experience", "ombudsman_coroner"),
    ("Coroner responses", "patient_experience", "ombudsman_coroner"),
    ("HIW", "patient_experience", "regulator_findings"),
    ("CQC", "patient_experience", "regulator_findings"),
    ("CHC", "patient_experience", "chc_feedback"),
    ("CIW", "patient_experience", "regulator_findings"),
    ("WAO", "governance", "wao_structured_assessment"),
    ("Complaints and compliments from any source", "patient_experience", "complaints_compliments"),
    ("Welsh language access and compliance", "patient_experience", "welsh_language"),
    ("HIW, CIW or CQC inspection reports, notices and action", "governance", "inspection_notices"),
    ("Levels of Government intervention", "governance", "intervention_level"),
    ("Wales Audit Office structured assessment reports", "governance", "wao_structured_assessment"),
    ("Annual Governance Statements", "governance", "annual_governance_statement"),
    ("Well-led Assessments", "governance", "well_led"),
    ("High level reference to strategic change programmes", "governance", "strategic_change"),
    ("Independent inquiries and reviews", "governance", "independent_reviews"),
    ("Service closures or suspended services", "governance", "service_closures"),
    ("High level reference to organisational assurance processes", "governance", "organisational_assurance"),
    ("Changes to leadership", "governance", "leadership_changes"),
    ("Staff engagement and surveys", "governance", "staff_engagement"),
    ("Soft intelligence", "governance", "soft_intelligence"),
    ("Media issues", "governance", "soft_intelligence"),
]


@pytest.mark.parametrize(("item", "area", "code"), SEED_002)
def test_every_seed_002_item_has_its_indicator_and_says_so(item, area, code):
    assert CATALOGUE[code]["area"] == area
    assert CATALOGUE_DESCRIPTIONS[code].startswith("Seed 002")


def test_the_item_kept_as_intelligence_says_why():
    assert "kept as intelligence" in CATALOGUE_DESCRIPTIONS["cost_against_plan"]


def test_every_description_names_an_indicator_of_the_catalogue():
    assert set(CATALOGUE_DESCRIPTIONS) <= set(CATALOGUE)
