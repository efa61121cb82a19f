"""The one users.list walk gives both the nudges' profiles and the import's people."""

from __future__ import annotations

from bot.slack.client import make_client
from bot.slack.directory import Directory, fetch_all, fetch_people
from tests.fake_slack import FakeSlack


def test_one_walk_gives_profiles_and_the_people_an_import_matches(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UALICE", tz="Europe/Berlin", is_admin=True)
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UBOT", is_bot=True)
    fake_slack.users["UALICE"]["profile"] = {
        "email": "alice@example.com",
        "real_name": "Alice Martin",
        "display_name": "alice",
    }
    client = make_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    profiles = {profile.user_id: profile for profile in fetch_all(client)}
    assert profiles["UALICE"].tz == "Europe/Berlin" and profiles["UALICE"].is_admin
    assert profiles["UBOT"].is_bot and profiles["UGONE"].deleted
    people = {person.user_id: person for person in fetch_people(client)}
    assert "UBOT" not in people
    assert people["UALICE"].email == "alice@example.com"
    assert people["UALICE"].real_name == "Alice Martin"
    assert people["UGONE"].deleted


def test_names_for_a_file_fall_back_to_the_member_id_and_are_asked_once(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user("UALICE")
    fake_slack.users["UALICE"]["profile"] = {"real_name": " Alice Martin ", "display_name": "al"}
    fake_slack.add_user("UBOB")
    fake_slack.users["UBOB"]["profile"] = {"real_name": "", "display_name": "bob"}
    fake_slack.add_user("UNONAME")
    fake_slack.fail("users.info", status=200, error="user_not_found")  # the first asked: UGONE
    client = make_client(token="xoxb-test-token", base_url=fake_slack.api_url)
    directory = Directory()
    asked = ["UGONE", "UALICE", "UBOB", "UALICE", "UNONAME"]
    names = directory.names(client, "T1", asked)
    assert names == {"UALICE": "Alice Martin", "UBOB": "bob"}
    assert directory.names(client, "T1", ["UALICE", "UBOB"]) == names
    assert len(fake_slack.calls_to("users.info")) == 4  # each once, the cache after
