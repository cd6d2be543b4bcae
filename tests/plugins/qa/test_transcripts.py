"""A chat's lines read into messages: speakers, continuation lines, a chat across midnight."""

from floorwalker.plugins.qa.transcripts import messages


def test_a_chat_reads_as_messages_across_midnight():
    found = messages("[23:59:50] 客户: 在吗\n[00:00:05] 客服：您好，请问\n有什么可以帮您？\n[00:01:00] customer: 好的")
    assert [(m.speaker, m.seconds) for m in found] == [("customer", 86390), ("agent", 86405),
                                                       ("customer", 86460)]
    assert found[1].text == "您好，请问\n有什么可以帮您？"


def test_text_without_chat_lines_has_no_messages():
    assert messages("退款单 8812 已处理，客户确认收到。") == []
