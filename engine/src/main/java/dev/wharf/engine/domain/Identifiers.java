package dev.wharf.engine.domain;

import java.util.regex.Pattern;

/**
 * What a warehouse, client, store or SKU id may look like. Ids become parts of entity ids and
 * URL paths, so they are kept to a safe alphabet; '~' joins composite entity ids ('|' is Pekko's persistence-id separator).
 */
public final class Identifiers {
  private Identifiers() {}

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  public static boolean isValidId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  /** Platform SKUs and order numbers come from marketplaces: any printable text, bounded. */
  public static boolean isValidExternalKey(String s) {
    if (s == null || s.isBlank() || s.length() > 128) {
      return false;
    }
    return s.chars().noneMatch(Character::isISOControl);
  }

  public static String stockEntityId(String warehouseId, String clientId, String sku) {
    return warehouseId + "~" + clientId + "~" + sku;
  }

  /**
   * The source id of a receipt's inbound fee on the client's ledger, which charges it once:
   * {@code receipt:<warehouse>:<reference>}. Ids may hold ':' and references anything, so a
   * warehouse id with a ':' of its own gets {@code receipt~<warehouse>~<reference>} ('~' is not
   * in ids): warehouse "a" with reference "b:c" and warehouse "a:b" with reference "c" are two
   * receipts, and the two forms never meet (they differ in their eighth character).
   */
  public static String receiptFeeSource(String warehouseId, String reference) {
    return warehouseId.indexOf(':') < 0
        ? "receipt:" + warehouseId + ":" + reference
        : "receipt~" + warehouseId + "~" + reference;
  }

  /**
   * A stock receipt: one per warehouse, client and reference. A reference is any text up to 512
   * characters, more than a persistence id holds, so it goes in as a hash.
   */
  public static String receiptEntityId(String warehouseId, String clientId, String reference) {
    return warehouseId + "~" + clientId + "~" + java.util.HexFormat.of().formatHex(Sha256.of(reference), 0, 16);
  }

  /**
   * A carrier's tracking number: carriers and numbers are marketplace text, which may hold the
   * persistence id's '|', so the pair goes in as a hash (both are {@link #isValidExternalKey}: no NUL).
   */
  public static String trackingNoEntityId(String carrier, String trackingNo) {
    return java.util.HexFormat.of().formatHex(Sha256.of(carrier, trackingNo), 0, 16);
  }

  /** A merge group: one per warehouse, client and (normalized) recipient. */
  public static String mergeGroupId(String warehouseId, String clientId, String recipientKey) {
    return warehouseId + "~" + clientId + "~" + java.util.HexFormat.of().formatHex(Sha256.of(recipientKey), 0, 10);
  }

  /** What a package id can look like: a merge group id (ids and a hash joined by '~') plus "~P" and a number. */
  private static final Pattern PACKAGE_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,200}~P[0-9]{1,18}");

  /**
   * Package ids are their merge group's id plus a number, so a package request finds its group;
   * null for anything else (a '|' in an entity id would fail the entity's start, not find nothing).
   */
  public static String mergeGroupOfPackage(String packageId) {
    if (!PACKAGE_ID.matcher(packageId).matches()) {
      return null;
    }
    return packageId.substring(0, packageId.lastIndexOf("~P"));
  }
}
