import pytest

from tests.assurance.factories import IndicatorFactory


@pytest.fixture
def catalogue(db):
    """One indicator in each of the five areas (percent, target 95, amber 90)."""
    areas = ["access", "quality_safety", "finance_activity", "patient_experience", "governance"]
    return {area: IndicatorFactory(code=f"{area}_ind", area=area, setting="planned" if area == "access" else "")
            for area in areas}
