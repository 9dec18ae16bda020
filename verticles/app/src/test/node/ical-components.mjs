// Reads an iCalendar file with Mozilla's ical.js and prints its VTODOs, one JSON object each, in
// a form two documents can be compared by: what a calendar app shows (summary, due instants,
// rule, skipped occurrences, categories, priority, state, alarms), not ids or timestamps.
// Usage: node ical-components.mjs <file.ics>
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const root = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], 'utf8')));
for (const zone of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(zone);
}

// a date stays a date; a date-time becomes its instant (through the document's VTIMEZONEs)
const when = (time) =>
  time == null ? null : time.isDate ? time.toString() : new Date(time.toUnixTime() * 1000).toISOString();

const alarm = (valarm) => {
  const trigger = valarm.getFirstProperty('trigger');
  const value = trigger.getFirstValue();
  if (value instanceof ICAL.Duration) {
    return { related: trigger.getParameter('related') ?? 'START', seconds: value.toSeconds() };
  }
  return { at: when(value) };
};

const todos = root.getAllSubcomponents('vtodo').map((todo) => ({
  summary: todo.getFirstPropertyValue('summary'),
  recurrenceId: when(todo.getFirstPropertyValue('recurrence-id')),
  start: when(todo.getFirstPropertyValue('dtstart')),
  due: when(todo.getFirstPropertyValue('due')),
  rrule: todo.getFirstPropertyValue('rrule')?.toString() ?? null,
  exdates: todo
    .getAllProperties('exdate')
    .flatMap((p) => p.getValues())
    .map(when)
    .sort(),
  categories: todo
    .getAllProperties('categories')
    .flatMap((p) => p.getValues())
    .sort(),
  priority: todo.getFirstPropertyValue('priority'),
  status: todo.getFirstPropertyValue('status'),
  completed: when(todo.getFirstPropertyValue('completed')),
  alarms: todo
    .getAllSubcomponents('valarm')
    .map(alarm)
    .map((a) => JSON.stringify(a))
    .sort()
    .map((a) => JSON.parse(a)),
}));
todos.sort((a, b) =>
  `${a.summary}|${a.recurrenceId}`.localeCompare(`${b.summary}|${b.recurrenceId}`),
);
process.stdout.write(JSON.stringify(todos));
