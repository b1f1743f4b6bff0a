package io.imageworker.training.metrics;

import java.util.Locale;
import java.util.Random;

/**
 * The text drawn on the generated images of the text set: English words from a list of everyday
 * print (signs, receipts, reports), prices, dates and numbers, about 60% plain words. Each takes the
 * image's {@link Random}, so the set's seed names its text.
 */
final class TextLines {

    private TextLines() {
    }

    static final String[] WORDS = ("the of and to in is for on with as at by from this that be are was it not or "
            + "order invoice total amount due paid receipt customer account number date price item quantity tax "
            + "subtotal balance payment card cash change thank you welcome open closed hours monday friday sunday "
            + "street avenue road city station platform exit entrance parking free sale new fresh coffee tea bread "
            + "milk water ticket room floor office meeting report summary page section chapter table figure note "
            + "please keep door left right north south east west warning danger caution stop slow school hospital "
            + "library museum garden market bank hotel restaurant menu lunch dinner breakfast special today "
            + "tomorrow weekly monthly annual delivery shipping return policy service center support help "
            + "information phone email address name signature approved reference project budget quarter sales "
            + "growth revenue cost profit team member manager staff only visitors welcome back soon").split(" ");
    static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** One line of text: words, a price, a date, a number or a mix (about 60% words). */
    static String line(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> cap(words(r, 1 + r.nextInt(2))) + ": " + price(r);
            case 1 -> cap(words(r, 1 + r.nextInt(2))) + " " + date(r);
            case 2 -> number(r) + " " + words(r, 1 + r.nextInt(3));
            case 3 -> cap(words(r, 1)) + " " + price(r) + " " + date(r);
            default -> cap(words(r, 2 + r.nextInt(5)));
        };
    }

    /** {@code n} words, space-separated. */
    static String words(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    /** {@code s} with its first letter in upper case. */
    static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** An amount in dollars or euros, cents always shown. */
    static String price(Random r) {
        int cents = r.nextInt(100);
        int units = r.nextInt(4) == 0 ? 1000 + r.nextInt(9000) : r.nextInt(500);
        String amount = String.format(Locale.ROOT, "%,d.%02d", units, cents);
        return switch (r.nextInt(3)) {
            case 0 -> "$" + amount;
            case 1 -> amount + " EUR";
            default -> "USD " + amount;
        };
    }

    /** A date in ISO, day/month/year or "Mon d, yyyy" form. */
    static String date(Random r) {
        int y = 2019 + r.nextInt(9);
        int m = 1 + r.nextInt(12);
        int d = 1 + r.nextInt(28);
        return switch (r.nextInt(3)) {
            case 0 -> String.format(Locale.ROOT, "%04d-%02d-%02d", y, m, d);
            case 1 -> String.format(Locale.ROOT, "%02d/%02d/%04d", d, m, y);
            default -> MONTHS[m - 1] + " " + d + ", " + y;
        };
    }

    /** An order, phone, quantity or item number. */
    static String number(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "Order #" + (10000 + r.nextInt(90000));
            case 1 -> "Tel " + (200 + r.nextInt(800)) + "-" + String.format(Locale.ROOT, "%04d", r.nextInt(10000));
            case 2 -> "Qty " + (1 + r.nextInt(12)) + " x " + String.format(Locale.ROOT, "%.2f", r.nextInt(5000) / 100.0);
            default -> "No. " + (1 + r.nextInt(999));
        };
    }
}
