package dev.wharf.engine.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a warehouse ships to: one country and the postal-code prefixes it covers there. An empty
 * prefix list covers the whole country.
 *
 * <p>Validation comes in two forms: {@link #validate} lists every problem with a field path (for a
 * 400 naming each bad field), and the constructor throws {@link IllegalArgumentException} with all
 * of them, so an invalid coverage can never exist. The constructor stores prefixes normalised
 * (upper case, spaces and dashes removed, duplicates dropped), so "sw1a 1" and "SW1A1" are one
 * prefix and matching a postal code is a plain startsWith on {@link #normalisePostal}.
 */
public record WarehouseCoverage(String country, List<String> postalPrefixes) {
  /** One thing wrong with the input; field is a path such as "postalPrefixes[2]". */
  public record Problem(String field, String message) {
    /** The same problem seen from an enclosing object, e.g. "coverage[0].country". */
    public Problem under(String parent) {
      return new Problem(parent + "." + field, message);
    }

    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  public static final int MAX_PREFIX_LENGTH = 10;

  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  // ASCII only: postal codes are ASCII everywhere the carriers ship
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9 -]{1," + MAX_PREFIX_LENGTH + "}");

  public WarehouseCoverage {
    List<Problem> problems = validate(country, postalPrefixes);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid warehouse coverage: " + problems);
    }
    LinkedHashSet<String> normalised = new LinkedHashSet<>();
    postalPrefixes.forEach(p -> normalised.add(normalisePostal(p)));
    postalPrefixes = List.copyOf(normalised);
  }

  /** Every problem with the input, in field order; empty when the constructor would accept it. */
  public static List<Problem> validate(String country, List<String> postalPrefixes) {
    List<Problem> problems = new ArrayList<>();
    if (country == null || !COUNTRY.matcher(country).matches()) {
      problems.add(new Problem("country", "must be an ISO 3166 alpha-2 code in upper case, e.g. PH"));
    }
    if (postalPrefixes == null) {
      problems.add(new Problem("postalPrefixes", "required (an empty list covers the whole country)"));
      return problems;
    }
    for (int i = 0; i < postalPrefixes.size(); i++) {
      String p = postalPrefixes.get(i);
      if (!isPostalFragment(p)) {
        problems.add(new Problem("postalPrefixes[" + i + "]",
            "must be a postal-code fragment: 1-" + MAX_PREFIX_LENGTH
                + " letters, digits, spaces or '-', with at least one letter or digit"));
      }
    }
    return problems;
  }

  /**
   * A fragment is 1-10 characters as typed (so the limit is on what the user sees) and keeps at
   * least one letter or digit once spaces and dashes go: "-" or " " would cover nothing useful.
   */
  public static boolean isPostalFragment(String s) {
    return s != null && PREFIX.matcher(s).matches() && !normalisePostal(s).isEmpty();
  }

  /** Upper case without spaces or dashes: "sw1a 1aa" -> "SW1A1AA", "100-" -> "100". Null -> "". */
  public static String normalisePostal(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '-' && !Character.isWhitespace(c)) {
        b.append(c);
      }
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  public boolean coversWholeCountry() {
    return postalPrefixes.isEmpty();
  }

  /**
   * The longest prefix here that the address falls under: "" for a whole-country entry, empty when
   * it is not covered. Country is compared case-insensitively, the postal code normalised.
   */
  public Optional<String> longestMatch(String recipientCountry, String recipientPostalCode) {
    if (recipientCountry == null || !country.equalsIgnoreCase(recipientCountry.strip())) {
      return Optional.empty();
    }
    if (coversWholeCountry()) {
      return Optional.of("");
    }
    String postal = normalisePostal(recipientPostalCode);
    String best = null;
    for (String prefix : postalPrefixes) {
      if (postal.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return Optional.ofNullable(best);
  }
}
