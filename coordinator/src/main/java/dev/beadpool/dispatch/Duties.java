package dev.beadpool.dispatch;

import dev.beadpool.dispatch.budget.BudgetFile;
import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.claim.ClaimHandler;
import dev.beadpool.dispatch.deadletter.DeadLetteredDispatches;
import dev.beadpool.dispatch.deadletter.PoisonMessages;
import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.integration.DispatchCode;
import dev.beadpool.dispatch.integration.MergeRecords;
import dev.beadpool.dispatch.lease.Heartbeats;
import dev.beadpool.dispatch.lease.LeaseExpiry;
import dev.beadpool.dispatch.lease.Leases;
import dev.beadpool.dispatch.outbox.BdContext;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.pause.HandPauses;
import dev.beadpool.dispatch.pause.LimitPauses;
import dev.beadpool.dispatch.pause.PauseBoard;
import dev.beadpool.dispatch.pause.PauseRouting;
import dev.beadpool.dispatch.pause.PausedClaims;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.queue.Dispatcher;
import dev.beadpool.dispatch.queue.GraphChanges;
import dev.beadpool.dispatch.recovery.Recovery;
import dev.beadpool.dispatch.registry.PresenceHandler;
import dev.beadpool.dispatch.registry.StallWatch;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.result.ResultApplier;
import dev.beadpool.dispatch.result.Settlement;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.dispatch.state.Lifecycle;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.MergeLedger;
import dev.beadpool.store.PauseRows;
import dev.beadpool.store.RunLedger;
import java.time.Clock;

/**
 * Every duty of the coordinator, wired over one store, one clock and one lock; the broker attaches
 * later ({@link Coordinator}). Each part receives what it needs through its constructor, and none
 * calls back into the one that made it. Tests wire the same parts on a clock they set, and call a
 * duty (lease expiry, stall detection, a result) directly.
 *
 * <p>Threads: {@code lock} is the one lock of the coordinator's state. The consumers' threads, the
 * results loop and the lease timer each take it for the whole of a change; the parts other than the
 * handlers of messages expect their caller to hold it.
 */
public record Duties(
    Object lock,
    BeadStore store,
    RunLedger ledger,
    CoordinatorSettings settings,
    Clock clock,
    Lifecycle lifecycle,
    PoolEvents events,
    Messages messages,
    Counters counters,
    InFlight inFlight,
    GraphMirror graph,
    Outbox outbox,
    BdContext bdContext,
    DispatchPublisher publisher,
    WorkerRegistry workers,
    DispatchQueue queue,
    GraphChanges changes,
    Leases leases,
    RunOutput output,
    Settlement settlement,
    Recovery recovery,
    OutboxFlush flush,
    StallWatch stalls,
    LeaseExpiry expiry,
    PoisonMessages poison,
    ResultApplier results,
    DeadLetteredDispatches deadLetters,
    ClaimHandler claims,
    Heartbeats heartbeats,
    PresenceHandler presences,
    BudgetGate budget,
    BudgetFile budgetFile,
    PauseBoard pauses,
    HandPauses handPauses,
    MergeRecords merges) {

  /** The duties over {@code store}, on {@code clock}, with a lock of their own. */
  public static Duties wire(BeadStore store, CoordinatorSettings settings, Clock clock) {
    Object lock = new Object();
    RunLedger ledger =
        new RunLedger(store, settings.agents().workerSessions(), settings.humanLabels());
    PoolEvents events = new PoolEvents();
    Messages messages = new Messages(settings.broker().maxMessageBytes());
    Lifecycle lifecycle = new Lifecycle();
    Counters counters = new Counters();
    InFlight inFlight = new InFlight();
    GraphMirror graph = new GraphMirror(store);
    Outbox outbox = new Outbox();
    BdContext bdContext = new BdContext(store);
    MergeLedger mergeLedger = new MergeLedger(store);
    DispatchPublisher publisher =
        new DispatchPublisher(
            lock,
            store,
            ledger,
            bdContext,
            clock,
            new DispatchCode(settings.agents().repository(), mergeLedger));
    WorkerRegistry workers = new WorkerRegistry(settings, clock);
    PauseBoard pauses = new PauseBoard(new PauseRows(store), clock, outbox);
    PauseRouting routing = new PauseRouting(pauses, settings.agents());
    Dispatcher dispatcher = new Dispatcher(ledger, settings, clock, inFlight, outbox, routing);
    BudgetGate budget =
        new BudgetGate(store, ledger, settings.agents(), settings.budgets(), clock, outbox);
    BudgetFile budgetFile = new BudgetFile(settings.configFile(), budget);
    DispatchQueue queue =
        new DispatchQueue(
            store, ledger, settings, clock, graph, inFlight, workers, dispatcher, budget, routing);
    GraphChanges changes = new GraphChanges(store, ledger, clock, graph, queue, outbox);
    Leases leases = new Leases(settings.lease());
    RunOutput output = new RunOutput(events, messages, clock);
    Settlement settlement =
        new Settlement(
            store,
            ledger,
            settings,
            clock,
            inFlight,
            leases,
            output,
            graph,
            changes,
            queue,
            dispatcher,
            counters,
            outbox,
            budget);
    Recovery recovery =
        new Recovery(
            store, ledger, settings, clock, graph, inFlight, leases, queue, outbox, publisher,
            bdContext, pauses);
    OutboxFlush flush = new OutboxFlush(outbox, graph, recovery, publisher, events);
    StallWatch stalls = new StallWatch(settings, workers, inFlight, queue, outbox);
    LeaseExpiry expiry =
        new LeaseExpiry(ledger, settings, clock, leases, settlement, outbox, budget);
    PoisonMessages poison = new PoisonMessages(lock, messages, counters);
    ResultApplier results =
        new ResultApplier(
            lock,
            store,
            ledger,
            settings,
            clock,
            inFlight,
            counters,
            outbox,
            settlement,
            recovery,
            flush,
            budget,
            new LimitPauses(pauses, settings.agents(), clock));
    DeadLetteredDispatches deadLetters =
        new DeadLetteredDispatches(
            lock,
            ledger,
            settings,
            clock,
            messages,
            counters,
            publisher,
            outbox,
            settlement,
            flush);
    ClaimHandler claims =
        new ClaimHandler(
            lock,
            ledger,
            settings,
            clock,
            messages,
            poison,
            new ClaimHandler.Parts(
                workers,
                inFlight,
                leases,
                graph,
                queue,
                publisher,
                outbox,
                flush,
                events,
                new PausedClaims(ledger, clock, inFlight, pauses, publisher, outbox, settlement)));
    Heartbeats heartbeats =
        new Heartbeats(lock, clock, messages, workers, inFlight, leases, ledger, budget);
    PresenceHandler presences =
        new PresenceHandler(lock, messages, lifecycle, workers, queue, flush);
    MergeRecords merges =
        new MergeRecords(
            lock,
            mergeLedger,
            settings.maxAttempts(),
            clock,
            counters,
            outbox,
            changes,
            settlement,
            flush);
    return new Duties(
        lock,
        store,
        ledger,
        settings,
        clock,
        lifecycle,
        events,
        messages,
        counters,
        inFlight,
        graph,
        outbox,
        bdContext,
        publisher,
        workers,
        queue,
        changes,
        leases,
        output,
        settlement,
        recovery,
        flush,
        stalls,
        expiry,
        poison,
        results,
        deadLetters,
        claims,
        heartbeats,
        presences,
        budget,
        budgetFile,
        pauses,
        new HandPauses(settings.agents(), clock, pauses, queue, flush),
        merges);
  }
}
