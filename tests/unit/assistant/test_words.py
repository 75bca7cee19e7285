"""Content words: what a question says, not how it is written."""

from assistant.words import content_words


def test_contractions_are_function_words() -> None:
    # "doesn't" once counted as a word the answer had to hold; it says nothing about the topic.
    assert content_words("he doesn't have a login and we're stuck, they've tried") == {"login", "stuck", "tri"}


def test_a_name_with_an_apostrophe_stays() -> None:
    assert "o'brien" in content_words("What did O'Brien ask?")


def test_period_adverbs_name_their_period() -> None:
    assert content_words("weekly numbers, monthly report") == content_words("numbers by week, report by month")


def test_irregular_past_forms_are_their_verb_but_left_stays_a_side() -> None:
    assert content_words("we ran out of seats") == content_words("when you run out of seats")
    assert content_words("I forgot my password") == content_words("forget your password")
    assert "left" in content_words("the left panel")


def test_what_now_asks_for_steps() -> None:
    from assistant.extract import asks_steps

    assert asks_steps("we ran out of licences, what now?") and asks_steps("seats are full. now what?")
    assert not asks_steps("why did we run out of licences?")


def test_accented_letters_fold_one_for_one() -> None:
    from assistant.words import fold, token_spans, tokens

    assert tokens("Renée at Café Nero") == ["renee", "at", "cafe", "nero"]
    assert fold("Renée") == "Renee" and token_spans("Renée x")[1] == ("x", 6, 7)
