"""The program and its guard rails never disagree, and the guard rails bite on the real program.

Every resource the program registers for dev and prod, and the example consumer's, goes through every
policy of the pack with the config file its stack is previewed with (`engine.judge_evaluation`: resource
policies get inputs, stack policies inputs merged with the mocks' computed outputs).
"""

from offline.runtime import Evaluation
from policy.imagepipe_policies.posture import COMPLIANCE, PROTECTED
from policy.imagepipe_policies.registry import POLICIES
from tests.policy.engine import DEV_CONFIG, PROD_CONFIG, Violation, judge_evaluation


def posture(protected: bool, compliance: bool) -> dict[str, dict[str, bool]]:
    """A pack config like config.dev.json and config.prod.json, for any mix of the two flags."""
    flags = {PROTECTED: protected, COMPLIANCE: compliance}
    config: dict[str, dict[str, bool]] = {}
    for policy in POLICIES:
        schema = policy.config_schema.properties if policy.config_schema else {}
        if declared := {flag: value for flag, value in flags.items() if flag in schema}:
            config[policy.name] = declared
    return config


PROTECTED_ONLY = posture(protected=True, compliance=False)
COMPLIANCE_ONLY = posture(protected=False, compliance=True)


def found(violations: list[Violation]) -> list[tuple[str, str]]:
    """(policy, resource name) of each violation, sorted."""
    return sorted((v.policy, v.urn.rsplit("::", 1)[1]) for v in violations)


def test_dev_meets_every_guard_rail_as_a_disposable_stack(dev: Evaluation) -> None:
    assert judge_evaluation(dev, DEV_CONFIG) == []


def test_prod_meets_every_guard_rail_as_a_protected_compliance_stack(prod: Evaluation) -> None:
    assert judge_evaluation(prod, PROD_CONFIG) == []


def test_the_example_consumer_meets_every_guard_rail(example: Evaluation) -> None:
    assert judge_evaluation(example, DEV_CONFIG) == []


def test_prod_with_force_destroy_is_refused_for_every_bucket(prod_with_force_destroy: Evaluation) -> None:
    assert found(judge_evaluation(prod_with_force_destroy, PROD_CONFIG)) == [
        ("protected-no-force-destroy", "imagepipe-prod-processed"),
        ("protected-no-force-destroy", "imagepipe-prod-reprocess"),
        ("protected-no-force-destroy", "imagepipe-prod-uploads"),
    ]


def test_dev_judged_as_protected_is_refused_for_exactly_its_disposable_settings(dev: Evaluation) -> None:
    assert found(judge_evaluation(dev, PROTECTED_ONLY)) == [
        ("functions-reserved-concurrency", "imagepipe-dev-image-processor"),  # advisory
        ("protected-no-cleanup-schedule", "imagepipe-dev-cleanup-schedule"),
        ("protected-no-force-destroy", "imagepipe-dev-processed"),
        ("protected-no-force-destroy", "imagepipe-dev-reprocess"),
        ("protected-no-force-destroy", "imagepipe-dev-uploads"),
    ]


def test_dev_without_sign_in_judged_as_protected_is_refused_for_its_open_routes(
    dev_without_sign_in: Evaluation,
) -> None:
    routes = [v for v in judge_evaluation(dev_without_sign_in, PROTECTED_ONLY) if "routes" in v.policy]
    assert found(routes) == [
        ("protected-no-unauthenticated-routes", "imagepipe-dev-image-any"),
        ("protected-no-unauthenticated-routes", "imagepipe-dev-images-any"),
    ]


def test_dev_judged_in_compliance_mode_is_refused_for_public_functions_and_service_keys(dev: Evaluation) -> None:
    assert found(judge_evaluation(dev, COMPLIANCE_ONLY)) == [
        ("compliance-customer-managed-keys", "imagepipe-dev-alert-formatter-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-cleanup-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-image-api-access-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-image-api-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-image-processor-failures"),
        ("compliance-customer-managed-keys", "imagepipe-dev-image-processor-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-image-reprocess-logs"),
        ("compliance-customer-managed-keys", "imagepipe-dev-images"),
        ("compliance-customer-managed-keys", "imagepipe-dev-processed-encryption"),
        ("compliance-customer-managed-keys", "imagepipe-dev-reprocess-encryption"),
        ("compliance-customer-managed-keys", "imagepipe-dev-uploads-encryption"),
        ("compliance-functions-in-vpc", "imagepipe-dev-alert-formatter"),
        ("compliance-functions-in-vpc", "imagepipe-dev-cleanup"),
        ("compliance-functions-in-vpc", "imagepipe-dev-image-api"),
        ("compliance-functions-in-vpc", "imagepipe-dev-image-processor"),
        ("compliance-functions-in-vpc", "imagepipe-dev-image-reprocess"),
    ]
