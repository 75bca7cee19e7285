"""Content words: what a question says, not how it is written."""

from assistant.words import content_words


def test_contractions_are_function_words() -> None:
    # "doesn't" once counted as a word the answer had to hold; it says nothing about the topic.
    assert content_words("he doesn't have a login and we're stuck, they've tried") == {"login", "stuck", "tri"}


def test_a_name_with_an_apostrophe_stays() -> None:
    assert "o'brien" in content_words("What did O'Brien ask?")


def test_period_adverbs_name_their_period() -> None:
    assert content_words("weekly numbers, monthly report") == content_words("numbers by week, report by month")
