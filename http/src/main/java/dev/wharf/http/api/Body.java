package dev.wharf.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.util.ByteString;
import dev.wharf.engine.domain.Identifiers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads a JSON request body field by field, so every refusal names the offending field
 * ("lines[2].qty"). Nothing is changed anywhere until a body has been read completely.
 */
public final class Body {
  /** An order line asking for more than this is treated as a typo, not an order. */
  public static final long MAX_QTY = 1_000_000;
  public static final int MAX_TEXT = 512;

  private final JsonNode node;
  private final String path;

  private Body(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  public static Body parse(ObjectMapper mapper, ByteString bytes) {
    return parse(mapper, bytes.toArray());
  }

  public static Body parse(ObjectMapper mapper, byte[] bytes) {
    JsonNode node;
    try {
      node = mapper.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON",
          "request body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON", "request body cannot be read", null);
    }
    if (node == null || !node.isObject()) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "MALFORMED_JSON", "request body must be a JSON object", null);
    }
    return new Body(node, "");
  }

  /** The full path of a field of this object, as error messages name it. */
  public String pathOf(String field) {
    return at(field);
  }

  private String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private JsonNode get(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public String text(String field) {
    String s = optText(field, null);
    if (s == null || s.isBlank()) {
      throw ApiError.invalid(at(field), at(field) + " is required");
    }
    return s;
  }

  /** Text from a marketplace or carrier (a tracking no., say): 1-128 printable characters. */
  public String externalKey(String field) {
    String s = text(field);
    if (!dev.wharf.engine.domain.Identifiers.isValidExternalKey(s)) {
      throw ApiError.invalid(at(field), at(field) + " must be 1-128 printable characters");
    }
    return s;
  }

  public String optText(String field, String fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw ApiError.invalid(at(field), at(field) + " must be a string");
    }
    if (v.textValue().length() > MAX_TEXT) {
      throw ApiError.invalid(at(field), at(field) + " is longer than " + MAX_TEXT + " characters");
    }
    if (hasLoneSurrogate(v.textValue())) {
      // half of a character (an emoji cut in two, say): UTF-8 stores it as '?', so it would not
      // read back as acknowledged, and two order numbers differing there would be one order
      throw ApiError.invalid(at(field), at(field) + " holds half of a character (an unpaired UTF-16 surrogate)");
    }
    return v.textValue();
  }

  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** A required id: letters, digits, '.', '_', ':' and '-', at most 64 characters. */
  public String id(String field) {
    String s = text(field);
    if (!Identifiers.isValidId(s)) {
      throw ApiError.invalid(at(field), at(field) + " must be 1-64 letters, digits, '.', '_', ':' or '-'");
    }
    return s;
  }

  public boolean optBool(String field, boolean fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw ApiError.invalid(at(field), at(field) + " must be true or false");
    }
    return v.booleanValue();
  }

  /** A positive whole quantity, at most {@link #MAX_QTY}. */
  public long qty(String field) {
    JsonNode v = get(field);
    if (v == null) {
      throw ApiError.invalid(at(field), at(field) + " is required");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiError.invalid(at(field), at(field) + " must be a whole number");
    }
    long q = v.longValue();
    if (q <= 0 || q > MAX_QTY) {
      throw ApiError.invalid(at(field), at(field) + " must be between 1 and " + MAX_QTY);
    }
    return q;
  }

  /** Money: {"amount": whole minor units, "currency": ISO 4217}. Sign rules are the caller's. */
  public dev.wharf.proto.Money money(String field) {
    Body m = object(field);
    JsonNode amount = m.get("amount");
    if (amount == null) {
      throw ApiError.invalid(m.pathOf("amount"), m.pathOf("amount") + " is required");
    }
    if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
      throw ApiError.invalid(m.pathOf("amount"), m.pathOf("amount") + " must be a whole number of minor units (1250 = 12.50)");
    }
    if (!dev.wharf.engine.domain.Moneys.withinMaxAmount(amount.longValue())) {
      throw ApiError.invalid(m.pathOf("amount"), m.pathOf("amount") + " must be between -"
          + dev.wharf.engine.domain.Moneys.MAX_AMOUNT + " and " + dev.wharf.engine.domain.Moneys.MAX_AMOUNT + " minor units");
    }
    String currency = m.text("currency");
    if (!dev.wharf.engine.domain.Moneys.isKnownCurrency(currency)) {
      throw ApiError.invalid(m.pathOf("currency"), m.pathOf("currency") + " must be an ISO 4217 code such as USD");
    }
    return dev.wharf.engine.domain.Moneys.of(amount.longValue(), currency);
  }

  /** A required JSON object kept as it is (free-form settings). */
  public JsonNode rawObject(String field) {
    JsonNode v = get(field);
    if (v == null || !v.isObject()) {
      throw ApiError.invalid(at(field), at(field) + " must be an object");
    }
    return v;
  }

  public int optInt(String field, int fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isInt()) {
      throw ApiError.invalid(at(field), at(field) + " must be a whole number");
    }
    return v.intValue();
  }

  /** An array of strings. */
  public List<String> strings(String field, int min, int max) {
    JsonNode v = get(field);
    if (v == null || !v.isArray()) {
      throw ApiError.invalid(at(field), at(field) + " must be an array of strings");
    }
    if (v.size() < min || v.size() > max) {
      throw ApiError.invalid(at(field), at(field) + " must have between " + min + " and " + max + " entries");
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw ApiError.invalid(at(field) + "[" + i + "]", at(field) + "[" + i + "] must be a string");
      }
      out.add(v.get(i).textValue());
    }
    return out;
  }

  public boolean has(String field) {
    return get(field) != null;
  }

  public Body object(String field) {
    JsonNode v = get(field);
    if (v == null) {
      throw ApiError.invalid(at(field), at(field) + " is required");
    }
    if (!v.isObject()) {
      throw ApiError.invalid(at(field), at(field) + " must be an object");
    }
    return new Body(v, at(field));
  }

  /** A required array of objects, each read by {@code reader}. */
  public <T> List<T> list(String field, int min, int max, BiFunction<Body, Integer, T> reader) {
    JsonNode v = get(field);
    if (v == null) {
      throw ApiError.invalid(at(field), at(field) + " is required");
    }
    if (!v.isArray()) {
      throw ApiError.invalid(at(field), at(field) + " must be an array");
    }
    if (v.size() < min || v.size() > max) {
      throw ApiError.invalid(at(field), at(field) + " must have between " + min + " and " + max + " entries");
    }
    List<T> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String itemPath = at(field) + "[" + i + "]";
      if (!item.isObject()) {
        throw ApiError.invalid(itemPath, itemPath + " must be an object");
      }
      out.add(reader.apply(new Body(item, itemPath), i));
    }
    return out;
  }
}
