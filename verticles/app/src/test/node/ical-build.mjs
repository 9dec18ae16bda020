// Builds a calendar of two VTODOs with Mozilla's ical.js API (not by writing text), as another
// app would export them, and prints it: a weekly task due at a time in UTC with an alarm two
// hours before, and an all-day one with categories and an absolute alarm.
// Usage: node ical-build.mjs
import ICAL from 'ical.js';

const calendar = new ICAL.Component(['vcalendar', [], []]);
calendar.addPropertyWithValue('prodid', '-//ical.js test//taskbus import//EN');
calendar.addPropertyWithValue('version', '2.0');

const alarm = (trigger, related) => {
  const valarm = new ICAL.Component('valarm');
  valarm.addPropertyWithValue('action', 'DISPLAY');
  valarm.addPropertyWithValue('description', 'Reminder');
  const property = valarm.addPropertyWithValue('trigger', trigger);
  if (related) {
    property.setParameter('related', related);
  }
  return valarm;
};

const trip = new ICAL.Component('vtodo');
trip.addPropertyWithValue('uid', 'icaljs-trip');
trip.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date('2026-12-01T00:00:00Z'), true));
trip.addPropertyWithValue('summary', 'Plan the trip');
trip.addPropertyWithValue('description', 'Trains, then the hotel');
trip.addPropertyWithValue('priority', 2);
trip.addPropertyWithValue('due', ICAL.Time.fromDateTimeString('2027-03-01T08:00:00Z'));
trip.addPropertyWithValue('rrule', ICAL.Recur.fromString('FREQ=WEEKLY;BYDAY=MO;COUNT=4'));
trip.addSubcomponent(alarm(ICAL.Duration.fromString('-PT2H'), 'END'));
calendar.addSubcomponent(trip);

const gift = new ICAL.Component('vtodo');
gift.addPropertyWithValue('uid', 'icaljs-gift');
gift.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date('2026-12-01T00:00:00Z'), true));
gift.addPropertyWithValue('summary', 'Buy a birthday present');
gift.addPropertyWithValue('priority', 7);
gift.addPropertyWithValue('due', ICAL.Time.fromDateString('2027-04-10'));
const categories = new ICAL.Property('categories');
categories.setValues(['Family', 'Shopping']);
gift.addProperty(categories);
gift.addSubcomponent(alarm(ICAL.Time.fromDateTimeString('2027-04-09T18:00:00Z')));
calendar.addSubcomponent(gift);

process.stdout.write(calendar.toString());
