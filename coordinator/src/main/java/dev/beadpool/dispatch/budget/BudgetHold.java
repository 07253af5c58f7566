package dev.beadpool.dispatch.budget;

/**
 * Beads held back by one budget, as {@code beadpool status} shows them.
 *
 * @param why the budget and its spend: {@code epic app-x1 spent $51.20 of $50.00}
 * @param beads how many waiting beads it holds
 */
public record BudgetHold(String why, int beads) {}
