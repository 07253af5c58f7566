package dev.beadpool.broker;

/** A permission of Artemis' {@code <security-settings>}, named as broker.xml names it. */
public enum Permission {
  SEND("send"),
  CONSUME("consume"),
  BROWSE("browse"),
  CREATE_ADDRESS("createAddress"),
  DELETE_ADDRESS("deleteAddress"),
  CREATE_DURABLE_QUEUE("createDurableQueue"),
  DELETE_DURABLE_QUEUE("deleteDurableQueue"),
  CREATE_NON_DURABLE_QUEUE("createNonDurableQueue"),
  DELETE_NON_DURABLE_QUEUE("deleteNonDurableQueue"),
  MANAGE("manage");

  private final String xmlName;

  Permission(String xmlName) {
    this.xmlName = xmlName;
  }

  /** The {@code type} of a {@code <permission>} in broker.xml. */
  public String xmlName() {
    return xmlName;
  }
}
