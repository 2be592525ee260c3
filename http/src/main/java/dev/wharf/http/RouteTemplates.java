package dev.wharf.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a request path to its OpenAPI path template (/v1/orders/{orderId}/review), the label of
 * the HTTP metrics: one series per route, not per order id. Unknown paths share "other".
 */
final class RouteTemplates {
  private static final Pattern PATH_LINE = Pattern.compile("^  (/\\S*):\\s*$", Pattern.MULTILINE);

  private record Template(String text, String[] segments) {}

  private final List<Template> templates = new ArrayList<>();

  private RouteTemplates(String openApi) {
    Matcher m = PATH_LINE.matcher(openApi);
    while (m.find()) {
      templates.add(new Template(m.group(1), m.group(1).substring(1).split("/")));
    }
  }

  static RouteTemplates fromOpenApi() {
    try (InputStream in = RouteTemplates.class.getResourceAsStream("/openapi.yaml")) {
      return new RouteTemplates(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int size() {
    return templates.size();
  }

  String templateOf(String path) {
    String[] segments = (path.startsWith("/") ? path.substring(1) : path).split("/");
    for (Template t : templates) {
      if (matches(t.segments(), segments)) {
        return t.text();
      }
    }
    return "other";
  }

  private static boolean matches(String[] template, String[] path) {
    if (template.length != path.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean variable = template[i].startsWith("{") && template[i].endsWith("}");
      if (variable ? path[i].isEmpty() : !template[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }
}
