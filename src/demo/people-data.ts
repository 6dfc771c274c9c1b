// Where the demo shop's customers live: each country with its share, time
// zones (with a typical UTC offset, to place orders in waking hours), locales,
// the currency it pays in, and common names. Data only.

export interface CountryData {
  code: string;
  weight: number;
  zones: readonly (readonly [zone: string, utcOffsetHours: number])[];
  locales: readonly string[];
  currency: 'GBP' | 'EUR' | 'USD';
  firstNames: readonly string[];
  lastNames: readonly string[];
}

/** Comma-separated, so the lists read as lists and names may contain spaces. */
const list = (text: string) => text.split(',').map((name) => name.trim());

const englishFirst = list(
  'Oliver, Amelia, George, Isla, Harry, Ava, Noah, Mia, Jack, Grace, Leo, Freya, Arthur, Lily, Oscar, ' +
    'Sophie, Charlie, Emily, Thomas, Poppy, James, Evie, Henry, Ruby',
);
const americanFirst = list(
  'Liam, Olivia, Ethan, Emma, Mason, Charlotte, Lucas, Harper, Logan, Abigail, Aiden, Madison, Elijah, ' +
    'Chloe, Carter, Zoey, Daniel, Avery, Jayden, Scarlett, Michael, Nora',
);

export const countries: readonly CountryData[] = [
  {
    code: 'GB',
    weight: 40,
    zones: [['Europe/London', 0]],
    locales: ['en-GB'],
    currency: 'GBP',
    firstNames: englishFirst,
    lastNames: list(
      'Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Patel, Robinson, Wright, Thompson, ' +
        'Evans, Walker, White, Roberts, Green, Hall, Khan, Clarke',
    ),
  },
  {
    code: 'IE',
    weight: 8,
    zones: [['Europe/Dublin', 0]],
    locales: ['en-IE', 'ga-IE'],
    currency: 'EUR',
    firstNames: list('Seán, Aoife, Conor, Saoirse, Cian, Niamh, Oisín, Ciara, Darragh, Róisín'),
    lastNames: list("Murphy, Kelly, O'Sullivan, Walsh, O'Brien, Byrne, Ryan, O'Connor, Doyle, Lynch"),
  },
  {
    code: 'US',
    weight: 20,
    zones: [
      ['America/New_York', -5],
      ['America/Chicago', -6],
      ['America/Denver', -7],
      ['America/Los_Angeles', -8],
    ],
    locales: ['en-US', 'es-US'],
    currency: 'USD',
    firstNames: americanFirst,
    lastNames: list(
      'Johnson, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez, Anderson, Thomas, Jackson, ' +
        'Lee, Harris, Clark, Lewis, Young, Nguyen, Hill, Scott, Adams',
    ),
  },
  {
    code: 'DE',
    weight: 12,
    zones: [['Europe/Berlin', 1]],
    locales: ['de-DE'],
    currency: 'EUR',
    firstNames: list('Lukas, Mia, Finn, Hannah, Jonas, Lea, Felix, Emma, Paul, Lina, Jürgen, Jörg'),
    lastNames: list('Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Weiß'),
  },
  {
    code: 'FR',
    weight: 10,
    zones: [['Europe/Paris', 1]],
    locales: ['fr-FR'],
    currency: 'EUR',
    firstNames: list('Gabriel, Louise, Raphaël, Jade, Léo, Chloé, Hugo, Manon, Étienne, Zoé'),
    lastNames: list('Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Lefèvre, Moreau'),
  },
  {
    code: 'NL',
    weight: 3,
    zones: [['Europe/Amsterdam', 1]],
    locales: ['nl-NL'],
    currency: 'EUR',
    firstNames: list('Daan, Julia, Sem, Tess, Lars, Fenna, Bram, Sanne'),
    lastNames: list('de Jong, Jansen, de Vries, van den Berg, Bakker, Visser, Smit, Mulder'),
  },
  {
    code: 'ES',
    weight: 2,
    zones: [['Europe/Madrid', 1]],
    locales: ['es-ES'],
    currency: 'EUR',
    firstNames: list('Hugo, Lucía, Martín, Sofía, Pablo, Martina, Álvaro, Paula'),
    lastNames: list('García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez'),
  },
  {
    code: 'SE',
    weight: 1,
    zones: [['Europe/Stockholm', 1]],
    locales: ['sv-SE'],
    currency: 'EUR',
    firstNames: list('Elias, Alice, William, Maja, Hugo, Astrid, Axel, Saga'),
    lastNames: list('Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, Persson'),
  },
  {
    code: 'CA',
    weight: 2,
    zones: [
      ['America/Toronto', -5],
      ['America/Vancouver', -8],
    ],
    locales: ['en-CA', 'fr-CA'],
    currency: 'USD',
    firstNames: americanFirst,
    lastNames: list('Tremblay, Roy, Gagnon, MacDonald, Campbell, Wong, Singh, Stewart'),
  },
  {
    code: 'AU',
    weight: 2,
    zones: [
      ['Australia/Sydney', 10],
      ['Australia/Melbourne', 10],
      ['Australia/Perth', 8],
    ],
    locales: ['en-AU'],
    currency: 'USD',
    firstNames: englishFirst,
    lastNames: list('Smith, Jones, Williams, Brown, Wilson, Taylor, Nguyen, Kelly'),
  },
];

export const emailDomains = [
  ['example.com', 6],
  ['example.org', 2],
  ['example.net', 2],
  ['mail.example.com', 1],
] as const;
