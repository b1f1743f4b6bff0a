package io.imageworker.training.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Character error rate (CER) and word accuracy of recognised text against a reference, summed over
 * a set: add one (reference, hypothesis) pair per image, read the rates at the end. Both texts are
 * whitespace-normalised first ({@link #normalise}), so line breaks, tabs and runs of spaces count as
 * one space and case and punctuation count as written.
 *
 * <ul>
 *   <li>CER = sum of Levenshtein distances (insertions, deletions, substitutions, each cost 1, over
 *       Unicode code points) / sum of reference lengths in code points. It can exceed 1 when the
 *       hypothesis is longer than the reference. Source: the usual OCR definition, e.g. Neudecker et
 *       al., "A survey of OCR evaluation tools and metrics", HIP 2021; V. I. Levenshtein, 1966.</li>
 *   <li>Word accuracy = reference words found in order in the hypothesis / reference words, where
 *       "found in order" is the longest common subsequence of the two word sequences (words split at
 *       spaces after normalisation, compared exactly). This follows the word accuracy of the ISRI
 *       OCR evaluation tools ({@code wordacc}: a reference word is correct when it is matched in
 *       the alignment of the two texts; Rice and Nartker, "The ISRI Analytic Tools for OCR
 *       Evaluation", UNLV-ISRI TR-96-02, 1996), with the alignment computed here as the longest
 *       common subsequence.</li>
 * </ul>
 * Not thread-safe: one instance per evaluation.
 */
public final class TextAccuracy {

    private long edits;
    private long referenceChars;
    private long matchedWords;
    private long referenceWords;
    private int pairs;

    /**
     * Adds one image's texts.
     *
     * @param reference the ground truth (any whitespace; normalised here)
     * @param hypothesis what the system read (null counts as empty)
     * @return this
     */
    public TextAccuracy add(String reference, String hypothesis) {
        String ref = normalise(reference);
        String hyp = normalise(hypothesis == null ? "" : hypothesis);
        edits += levenshtein(ref.codePoints().toArray(), hyp.codePoints().toArray());
        referenceChars += ref.codePointCount(0, ref.length());
        List<String> refWords = words(ref);
        matchedWords += longestCommonSubsequence(refWords, words(hyp));
        referenceWords += refWords.size();
        pairs++;
        return this;
    }

    /** Pairs added so far. */
    public int pairs() {
        return pairs;
    }

    /** Summed edit distance (code points). */
    public long edits() {
        return edits;
    }

    /** Summed reference length (code points). */
    public long referenceChars() {
        return referenceChars;
    }

    /** CER = edits / reference characters; NaN before any reference character was added. */
    public double characterErrorRate() {
        return referenceChars == 0 ? Double.NaN : (double) edits / referenceChars;
    }

    /** Word accuracy = matched reference words / reference words, in [0, 1]; NaN before any word. */
    public double wordAccuracy() {
        return referenceWords == 0 ? Double.NaN : (double) matchedWords / referenceWords;
    }

    /** Reference words matched in order (longest common subsequence), summed. */
    public long matchedWords() {
        return matchedWords;
    }

    /** Reference words, summed. */
    public long referenceWords() {
        return referenceWords;
    }

    /**
     * Whitespace normalisation: every run of Unicode whitespace (spaces, tabs, line breaks, no-break
     * spaces) becomes one space; leading and trailing whitespace is removed. Nothing else changes.
     */
    public static String normalise(String s) {
        return s.replaceAll("[\\s\\u00A0\\u2007\\u202F]+", " ").strip();
    }

    /**
     * Levenshtein distance between two sequences of code points: the least number of single-symbol
     * insertions, deletions and substitutions that turn {@code a} into {@code b}. O(|a| |b|) time,
     * O(|b|) memory.
     */
    public static int levenshtein(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }

    /** Levenshtein distance of two strings over code points, without normalisation. */
    public static int levenshtein(String a, String b) {
        return levenshtein(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** Length of the longest common subsequence of two word lists (exact word equality). */
    static int longestCommonSubsequence(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (String wa : a) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = wa.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
            Arrays.fill(cur, 0);
        }
        return prev[b.size()];
    }

    private static List<String> words(String normalised) {
        return normalised.isEmpty() ? List.of() : new ArrayList<>(List.of(normalised.split(" ")));
    }
}
