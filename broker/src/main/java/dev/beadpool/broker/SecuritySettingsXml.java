package dev.beadpool.broker;

import java.util.List;
import java.util.Set;

/**
 * {@link BrokerRoles} as the lines to paste into a standalone broker's etc/broker.xml: the {@code
 * <uuid-namespace>} element and the {@code <security-setting>} elements, indented as broker.xml
 * indents the children of {@code <core>} and of {@code <security-settings>}.
 */
public final class SecuritySettingsXml {
  private SecuritySettingsXml() {}

  /** The element that goes inside {@code <core>}. */
  public static String uuidNamespace() {
    return "<uuid-namespace>" + BrokerRoles.UUID_NAMESPACE + "</uuid-namespace>\n";
  }

  /** The elements that go inside {@code <security-settings>}. */
  public static String securitySettings() {
    return render(BrokerRoles.settings());
  }

  static String render(List<SecuritySetting> settings) {
    StringBuilder xml = new StringBuilder();
    for (SecuritySetting setting : settings) {
      xml.append("<security-setting match=\"").append(setting.match()).append("\">\n");
      for (Permission permission : Permission.values()) {
        Set<String> roles = setting.rolesWith(permission);
        if (!roles.isEmpty()) {
          xml.append("   <permission type=\"")
              .append(permission.xmlName())
              .append("\" roles=\"")
              .append(String.join(",", roles))
              .append("\"/>\n");
        }
      }
      xml.append("</security-setting>\n");
    }
    return xml.toString();
  }
}
