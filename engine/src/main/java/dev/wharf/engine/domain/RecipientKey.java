package dev.wharf.engine.domain;

import dev.wharf.proto.Recipient;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The merge key of a recipient: orders whose keys are equal may share a package. Two recipients
 * typed with different case, spacing or punctuation ("12 Main St., Apt 4" / "12 MAIN ST APT-4")
 * get the same key; anything else that differs gives a different key.
 *
 * <p>Text fields (name, city, state, address) keep only their letters and digits, NFKC-folded and
 * lower-cased with Locale.ROOT; so trimming and collapsing whitespace come for free, and
 * "Jean-Luc" = "Jean Luc" = "jeanluc". Only a break between two digits is kept (as one '.'):
 * "12 3rd St" and "1 23rd St" are two houses, as are "Unit 1, 23 Main" and "Unit 12, 3 Main". Address1 and address2 are joined before folding, so a unit
 * moved from one line to the other is the same address. The phone keeps digits only and is not
 * otherwise normalised: "+63 917 123 4567" and "0917 123 4567" are different keys (merging less
 * is safe, merging two people is not). Country is upper-cased, the postal code normalised as
 * coverage prefixes are. No component holds a '|', so it separates them unambiguously.
 *
 * <p>Groups opened before the digit breaks were kept have keys without them; compare recipients
 * with {@link #sameRecipient}, which computes both sides now, not with a stored key.
 */
public final class RecipientKey {
  private RecipientKey() {}

  public static String of(Recipient r) {
    return String.join("|",
        text(r.getName()),
        digits(r.getPhone()),
        r.getCountry().strip().toUpperCase(Locale.ROOT),
        alnum(WarehouseCoverage.normalisePostal(r.getPostalCode())),
        text(r.getCity()),
        text(r.getState()),
        text(r.getAddress1() + " " + r.getAddress2()));
  }

  /** Whether two recipients may share a package (both keys computed by this version). */
  public static boolean sameRecipient(Recipient a, Recipient b) {
    return of(a).equals(of(b));
  }

  static String text(String s) {
    return alnum(Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
  }

  static String digits(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().filter(c -> c >= '0' && c <= '9').forEach(b::appendCodePoint);
    return b.toString();
  }

  private static String alnum(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean skipped = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (!Character.isLetterOrDigit(c)) {
        skipped = true;
        continue;
      }
      if (skipped && Character.isDigit(c) && !b.isEmpty() && Character.isDigit(b.codePointBefore(b.length()))) {
        b.append('.');
      }
      b.appendCodePoint(c);
      skipped = false;
    }
    return b.toString();
  }
}
