package dev.wharf.engine.domain;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Order identity. The entity id is derived from store + platform order no., so a re-sent
 * platform order lands on the same entity (dedup without a lookup table). The order no. shown to
 * people is the client's code, the day and a per-client sequence: HMKJ-210412-00005.
 */
public final class OrderIds {
  private OrderIds() {}

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

  public static String orderId(String storeId, String platformOrderNo) {
    // 120 bits: collisions are out of reach for any realistic number of orders
    return "o-" + HexFormat.of().formatHex(Sha256.of(storeId, platformOrderNo), 0, 15);
  }

  public static String day(LocalDate date) {
    return DAY.format(date);
  }

  public static String orderNo(String clientCode, String day, long sequence) {
    String digits = Long.toString(sequence);
    StringBuilder no = new StringBuilder(clientCode.length() + 14).append(clientCode).append('-').append(day).append('-');
    for (int i = digits.length(); i < 5; i++) {
      no.append('0');
    }
    return no.append(digits).toString();
  }
}
