// Reads an iCalendar document with Mozilla's ical.js, as Thunderbird does, and prints what a
// calendar app would take from it, for CalendarExportIT to compare with taskbus's JSON API.
//
//   node ical-expand.mjs <document.ics> <question.json>
//
// question.json: {"series": {"<UID>": <how many occurrences>}}
// prints one JSON object:
//   {"series": {"<UID>": {"occurrences": [...], "withoutExdates": [...], "exdates": [...]}},
//    "todos": [{"uid", "recurrenceId", "summary", "due", "alarms": [...]}]}
// Times are instants (ISO-8601, UTC) for zoned values and dates (YYYY-MM-DD) for DATE values.
// Alarms before the due are placed as RFC 5545 says: days and weeks on the wall clock, hours,
// minutes and seconds as exact time.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [documentPath, questionPath] = process.argv.slice(2);
const question = JSON.parse(readFileSync(questionPath, 'utf8'));
// ical.js throws on anything it cannot parse: the whole document has to be well-formed
const calendar = new ICAL.Component(ICAL.parse(readFileSync(documentPath, 'utf8')));
for (const zone of calendar.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
// ical.js reads values when asked for them (after the zones they name are known): ask for all
(function hydrate(component) {
  component.getAllProperties().forEach((p) => p.getValues());
  component.getAllSubcomponents().forEach(hydrate);
})(calendar);

function text(time) {
  return time.isDate ? time.toString() : time.toJSDate().toISOString();
}

function expand(component, limit) {
  const expansion = new ICAL.RecurExpansion({
    component,
    dtstart: component.getFirstPropertyValue('dtstart'),
  });
  const out = [];
  for (let next = expansion.next(); next && out.length < limit; next = expansion.next()) {
    out.push(text(next));
  }
  return out;
}

const todos = calendar.getAllSubcomponents('vtodo');
const series = {};
for (const [uid, limit] of Object.entries(question.series)) {
  const master = todos.find(
    (t) => t.getFirstPropertyValue('uid') === uid && !t.hasProperty('recurrence-id'));
  if (!master) {
    series[uid] = { missing: true };
    continue;
  }
  const exdates = master.getAllProperties('exdate').flatMap((p) => p.getValues()).map(text);
  const bare = ICAL.Component.fromString(master.toString());
  bare.removeAllProperties('exdate');
  series[uid] = {
    occurrences: expand(master, limit),
    withoutExdates: expand(bare, limit + exdates.length),
    exdates,
  };
}

function alarmTimes(todo, due) {
  return todo.getAllSubcomponents('valarm').map((alarm) => {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger.getFirstValue();
    if (value instanceof ICAL.Time) {
      return text(value);
    }
    const sign = value.isNegative ? -1 : 1;
    const wall = due.clone();
    wall.adjust(sign * (value.weeks * 7 + value.days), 0, 0, 0);
    const exact = sign * ((value.hours * 60 + value.minutes) * 60 + value.seconds);
    return new Date(wall.toUnixTime() * 1000 + exact * 1000).toISOString();
  });
}

const out = todos
  .filter((t) => t.hasProperty('due'))
  .map((todo) => {
    const due = todo.getFirstPropertyValue('due');
    const recurrenceId = todo.getFirstPropertyValue('recurrence-id');
    return {
      uid: todo.getFirstPropertyValue('uid'),
      recurrenceId: recurrenceId ? text(recurrenceId) : null,
      summary: todo.getFirstPropertyValue('summary'),
      due: text(due),
      alarms: due.isDate ? [] : alarmTimes(todo, due),
    };
  });

process.stdout.write(JSON.stringify({ series, todos: out }) + '\n');
