"""A chat's lines read into messages: speakers, continuation lines, a chat across midnight."""

from floorwalker.plugins.qa import autoqa
from floorwalker.plugins.qa.transcripts import messages


def test_a_chat_reads_as_messages_across_midnight():
    found = messages("[23:59:50] 客户: 在吗\n[00:00:05] 客服：您好，请问\n有什么可以帮您？\n[00:01:00] customer: 好的")
    assert [(m.speaker, m.seconds) for m in found] == [("customer", 86390), ("agent", 86405),
                                                       ("customer", 86460)]
    assert found[1].text == "您好，请问\n有什么可以帮您？"


def test_text_without_chat_lines_has_no_messages():
    assert messages("退款单 8812 已处理，客户确认收到。") == []


def test_the_display_reads_a_chat_as_auto_qa_does():
    # the labels auto-QA knows (坐席-1023, 访客), a system line of nobody, a date, and a reply
    # 30 s "earlier" on the clock: the next day for both, never two readings of one chat
    text = ("[2026-12-05 23:59:50] 访客: 在吗\n[00:00:20] 坐席-1023: 您好，请讲\n"
            "[00:00:25] 系统: 会话已转接\n[00:00:10] 客户: 好的")
    shown = messages(text)
    assert shown == autoqa.parse(text)
    assert [(m.speaker, m.seconds, m.label) for m in shown] == [
        ("customer", 86390, "访客"), ("agent", 86420, "坐席-1023"), ("other", 86425, "系统"),
        ("customer", 2 * 86400 + 10, "客户")]
    assert autoqa.check(text).first_response_s == 30  # what the rules read is what the page shows
