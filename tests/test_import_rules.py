"""The import rules of docs/architecture.md: the code keeps every contract in
pyproject.toml, an import that breaks a rule breaks its contract, and no module is
part of an import cycle."""

from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter import api  # noqa: F401 - configures import-linter, as its command does
from importlinter.application import use_cases
from importlinter.domain.contract import registry

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


@pytest.fixture(scope="module")
def options():
    options = use_cases.read_user_options(str(PYPROJECT))
    use_cases._register_contract_types(options)
    return options


@pytest.fixture(scope="module")
def graph(options):
    return grimp.build_graph(*options.session_options["root_packages"], cache_dir=None)


def broken(options, graph) -> set[str]:
    """The ids of the contracts ``graph`` breaks."""
    ids = set()
    for contract_options in options.contracts_options:
        contract = registry.get_contract_class(contract_options["type"])(
            name=contract_options["name"], session_options=options.session_options, contract_options=contract_options
        )
        if not contract.check(deepcopy(graph), verbose=False).kept:
            ids.add(contract_options["id"])
    return ids


def cycles(graph) -> list[set[str]]:
    """Every set of modules that import each other round (Tarjan's strongly connected
    components of the module graph, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            step = next(imported, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.find_modules_directly_imported_by(step)))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_code_keeps_every_contract(options, graph):
    assert broken(options, graph) == set()


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("agencies.models", "mpp_portal.settings", "apps"),  # an app imports the shell
        ("mpp_common.clock", "services.models", "apps"),  # the shared helpers import an app
        ("services.schedule", "queueing.models", "apps"),  # a lower app imports a higher one
        ("queueing.notifications.outbox", "queueing.bookings.services", "slices"),  # the outbox calls booking code
        ("queueing.bookings.services", "queueing.floor.tickets", "slices"),  # bookings reach up to the floor
        ("queueing.models.tickets", "queueing.floor.queue_order", "slices"),  # a model imports a slice
        ("queueing.floor.views.officer", "queueing.office.api", "faces"),  # the console takes from an API
        ("queueing.office.api", "queueing.surveys.views", "faces"),  # a report takes from a page
        ("queueing.notifications.queue", "queueing.notifications.tasks", "acyclic"),  # tasks → delivery → queue
    ],
)
def test_a_breaking_import_breaks_its_contract(options, graph, importer, imported, contract):
    graph = deepcopy(graph)
    graph.add_import(importer=importer, imported=imported)
    assert contract in broken(options, graph)


def test_no_module_is_part_of_an_import_cycle(graph):
    assert cycles(graph) == []


def test_a_cycle_through_a_package_and_its_module_is_found(graph):
    graph = deepcopy(graph)
    # queueing.models re-exports queueing.models.bookings, which must not import it back.
    graph.add_import(importer="queueing.models.bookings", imported="queueing.models")
    assert any({"queueing.models", "queueing.models.bookings"} <= cycle for cycle in cycles(graph))
