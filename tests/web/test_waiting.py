"""The dashboard's "waiting for me": one count of what the enabled plugins say waits for the
reader, each part a link to where it is decided."""

from floorwalker.core import WaitingItem, hookimpl
from floorwalker.core.app import create_app
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.incentives import reversals


class Disputes:
    """A tiny plugin: disputes wait for a supervisor, nothing waits for anyone else."""

    @hookimpl
    def waiting_items(self, project, user):
        if "supervisor" not in user["roles"]:
            return []
        return [WaitingItem("Disputes to arbitrate", "待仲裁的申诉", 4, f"/p/{project['slug']}/disputes/")]


def test_the_dashboard_counts_what_waits_for_the_reader(tmp_path, company_factory, sign_in):
    pm = make_plugin_manager()
    pm.register(Disputes(), name="disputes")
    fw = company_factory(tmp_path, pm)
    fw.projects.disable("beta", "disputes", "setup")
    loud = next(e for m in fw.periods.list("alpha") for e in fw.ledger.events("alpha", m["month"])
                if e["rule"] == "loud")
    reversals.request(fw, "alpha", loud["id"], "it was the headset", "tl")
    app = create_app(fw)
    page = sign_in(app, "supervisor1").get("/p/alpha/").text
    assert "Waiting for me 5" in page
    assert 'href="/p/alpha/disputes/">Disputes to arbitrate (4)' in page
    assert 'href="/p/alpha/incentives/reversals">Reversal requests to decide (1)' in page
    assert "Waiting for me" not in sign_in(app, "qa1").get("/p/alpha/").text
    assert "Waiting for me" not in sign_in(app, "betasup").get("/p/beta/").text


def test_the_navigation_counts_what_waits_on_every_page_and_an_agent_is_sent_to_it(tmp_path, company_factory, sign_in):
    from floorwalker.core import WaitingItem, hookimpl
    from floorwalker.core.plugins import make_plugin_manager
    from floorwalker.core.app import create_app

    class Asks:
        @hookimpl
        def waiting_items(self, user):
            if "agent" in user["roles"]:
                return [WaitingItem("Swaps to answer", "待回复的换班", 1, "/p/alpha/asks/swaps")]
            return [WaitingItem("Leave to approve", "待审批的请假", 3, "/p/alpha/asks/leave"),
                    WaitingItem("Nothing", "无", 0, "/p/alpha/asks/none")]

    pm = make_plugin_manager()
    pm.register(Asks(), name="asks")
    app = create_app(company_factory(tmp_path, pm))
    page = sign_in(app, "supervisor1").get("/p/alpha/agents").text
    assert "Waiting for me" in page and ">3</span>" in page and 'href="/p/alpha/#waiting"' in page
    mine = sign_in(app, "agent1").get("/p/alpha/agents/1001").text
    assert 'href="/p/alpha/asks/swaps"' in mine and ">1</span>" in mine
