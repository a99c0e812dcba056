"""Protected stacks (real users' data, `protected: true`): nothing that only suits a throwaway stack.

The program refuses some of these itself on prod (an API without sign-in, `*` as a CORS origin, the
cleanup); the pack refuses them on any stack its config calls protected, whatever program made it, and
adds `forceDestroy`, which the program allows on any stack.
"""

from collections.abc import Mapping
from typing import Final

from pulumi_policy import PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs

from .functions import schedule_runs
from .posture import PROTECTED, resource_policy_when, stack_policy_when
from .properties import value_at, value_if_known
from .resource_types import (
    API_GATEWAY_RESPONSE,
    API_INTEGRATION_RESPONSE,
    API_METHOD,
    BUCKETS,
    FUNCTION,
    FUNCTION_URL,
    SCHEDULE,
)
from .stack import judge_each, of_type

# The image API function's allowed browser origins (a JSON list), as handlers/contract.py names it.
CORS_ORIGINS_VARIABLE: Final = "CORS_ORIGINS"
# The dev cleanup's handler (handlers/contract.py): it deletes every upload, rendition and item past an age.
CLEANUP_HANDLER: Final = "handlers.cleanup_handler.handler"
ALLOW_ORIGIN_HEADER: Final = "access-control-allow-origin"


def _no_force_destroy(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in BUCKETS and value_at(args.props, "forceDestroy") is True:
        report(f"bucket {args.name} has forceDestroy: `pulumi destroy` would delete every object in it", None)


def _no_open_cors(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == FUNCTION:
        origins = value_at(args.props, "environment", "variables", CORS_ORIGINS_VARIABLE)
        if isinstance(origins, str) and "*" in origins:
            report(f"function {args.name}: {CORS_ORIGINS_VARIABLE} {origins} lets any website call the API", None)
    elif args.resource_type in (API_GATEWAY_RESPONSE, API_INTEGRATION_RESPONSE):
        parameters = value_at(args.props, "responseParameters")
        for header, value in parameters.items() if isinstance(parameters, Mapping) else ():
            if header.lower().endswith(ALLOW_ORIGIN_HEADER) and "*" in str(value):
                report(f"{args.name} answers {header}: {value}, which lets any website call the API", None)


def _no_unauthenticated_routes(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == API_METHOD:
        method = value_at(args.props, "httpMethod")
        # A CORS preflight (OPTIONS) carries no credentials by design and reaches no data.
        if value_at(args.props, "authorization") == "NONE" and method != "OPTIONS":
            report(f"API method {args.name} ({method}) has authorization NONE: anyone may call it", None)
    elif args.resource_type == FUNCTION_URL and value_at(args.props, "authorizationType") == "NONE":
        report(f"function URL {args.name} has authorizationType NONE: anyone may invoke the function", None)


def _no_cleanup_schedule(args: StackValidationArgs, report: ReportViolation) -> None:
    cleanups = [f for f in of_type(args.resources, FUNCTION) if value_if_known(f.props, "handler") == CLEANUP_HANDLER]

    def judge(schedule: PolicyResource) -> None:
        for cleanup in cleanups:
            if schedule_runs(schedule, cleanup):
                report(
                    f"schedule {schedule.name} runs the cleanup ({cleanup.name}), which deletes every upload, "
                    f"rendition and metadata item past an age",
                    schedule.urn,
                )

    judge_each(of_type(args.resources, SCHEDULE), judge)


PROTECTED_NO_FORCE_DESTROY: Final = resource_policy_when(
    PROTECTED,
    name="protected-no-force-destroy",
    description="On a protected stack no S3 bucket has forceDestroy.",
    validate=_no_force_destroy,
)

PROTECTED_NO_OPEN_CORS: Final = resource_policy_when(
    PROTECTED,
    name="protected-no-open-cors",
    description="On a protected stack no API allows every origin (CORS_ORIGINS or Access-Control-Allow-Origin *).",
    validate=_no_open_cors,
)

PROTECTED_NO_UNAUTHENTICATED_ROUTES: Final = resource_policy_when(
    PROTECTED,
    name="protected-no-unauthenticated-routes",
    description="On a protected stack every API method but OPTIONS, and every function URL, needs authorization.",
    validate=_no_unauthenticated_routes,
)

PROTECTED_NO_CLEANUP_SCHEDULE: Final = stack_policy_when(
    PROTECTED,
    name="protected-no-cleanup-schedule",
    description="On a protected stack no schedule runs the dev cleanup function.",
    validate=_no_cleanup_schedule,
)
