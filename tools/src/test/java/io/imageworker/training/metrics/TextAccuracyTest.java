package io.imageworker.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** CER and word accuracy on cases computed by hand. */
class TextAccuracyTest {

    @Test
    void levenshteinOfTheTextbookPair() {
        // kitten -> sitten (s/k) -> sittin (i/e) -> sitting (+g)
        assertThat(TextAccuracy.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(TextAccuracy.levenshtein("", "abc")).isEqualTo(3);
        assertThat(TextAccuracy.levenshtein("abc", "")).isEqualTo(3);
        assertThat(TextAccuracy.levenshtein("flaw", "lawn")).isEqualTo(2);
    }

    @Test
    void charactersAreCodePointsNotUtf16Units() {
        // U+1F600 is two UTF-16 units but one character: one deletion.
        assertThat(TextAccuracy.levenshtein("a\uD83D\uDE00", "a")).isEqualTo(1);
        assertThat(TextAccuracy.levenshtein("caf\u00E9", "cafe")).isEqualTo(1);
    }

    @Test
    void whitespaceIsNormalisedBeforeComparing() {
        assertThat(TextAccuracy.normalise("  Total\tdue:\n\n1,234.56\u00A0EUR ")).isEqualTo("Total due: 1,234.56 EUR");
        TextAccuracy t = new TextAccuracy().add("Total  due:\n1,234.56", "Total due: 1,234.56");
        assertThat(t.characterErrorRate()).isZero();
        assertThat(t.wordAccuracy()).isEqualTo(1.0);
    }

    @Test
    void cerSumsEditsAndReferenceLengthsOverTheSet() {
        // 3 edits over 6 chars, then 0 over 4, then 2 deletions over 2: (3 + 0 + 2) / (6 + 4 + 2) = 5/12
        TextAccuracy t = new TextAccuracy().add("kitten", "sitting").add("abcd", "abcd").add("ab", null);
        assertThat(t.edits()).isEqualTo(5);
        assertThat(t.referenceChars()).isEqualTo(12);
        assertThat(t.characterErrorRate()).isCloseTo(5.0 / 12, within(1e-12));
        assertThat(t.pairs()).isEqualTo(3);
    }

    @Test
    void cerCanExceedOneWhenTheHypothesisIsLonger() {
        assertThat(new TextAccuracy().add("ab", "xxxxxx").characterErrorRate()).isEqualTo(3.0);
    }

    @Test
    void wordAccuracyCountsReferenceWordsMatchedInOrder() {
        // LCS of [the quick brown fox] and [the quick brwn fox jumps] = the quick fox: 3 of 4
        assertThat(new TextAccuracy().add("the quick brown fox", "the quick brwn fox jumps").wordAccuracy()).isEqualTo(0.75);
        // reversed order: only one word can be matched in order
        assertThat(new TextAccuracy().add("a b c", "c b a").wordAccuracy()).isCloseTo(1.0 / 3, within(1e-12));
        // case and punctuation count
        assertThat(new TextAccuracy().add("Total: 5", "total 5").wordAccuracy()).isEqualTo(0.5);
        // summed over pairs: (3 + 0) / (4 + 2)
        assertThat(new TextAccuracy().add("the quick brown fox", "the quick brwn fox").add("x y", "").wordAccuracy())
                .isEqualTo(0.5);
    }

    @Test
    void emptySetIsUndefined() {
        assertThat(new TextAccuracy().characterErrorRate()).isNaN();
        assertThat(new TextAccuracy().wordAccuracy()).isNaN();
    }
}
