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
 * "Jean-Luc" = "Jean Luc" = "jeanluc". Address1 and address2 are joined before folding, so a unit
 * moved from one line to the other is the same address. The phone keeps digits only and is not
 * otherwise normalised: "+63 917 123 4567" and "0917 123 4567" are different keys (merging less
 * is safe, merging two people is not). Country is upper-cased, the postal code normalised as
 * coverage prefixes are. Every component is letters/digits only, so '|' separates unambiguously.
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
    s.codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
    return b.toString();
  }
}
