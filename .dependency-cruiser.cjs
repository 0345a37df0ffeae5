/**
 * The layers of src/, top to bottom (docs/architecture.md draws them). A module may import
 * from its own room and from rooms in lower layers; never upwards, never sideways into
 * another room of its layer unless `sideways` lists the pair, never in a cycle.
 */
const layers = [
  { name: 'cli', rooms: ['cli'] },
  { name: 'pipeline', rooms: ['pipeline'] },
  { name: 'rooms of a run', rooms: ['masking', 'dump', 'config', 'scan', 'subset', 'subject'] },
  { name: 'codec and transformers', rooms: ['copy', 'transformers'] },
  { name: 'catalog and identities', rooms: ['catalog', 'se'] },
  { name: 'foundations', rooms: ['db', 'random', 'json-schema'] },
  { name: 'errors', rooms: ['errors.ts'] },
];

/** Rooms inside pipeline/, top to bottom: a run's kinds over what they share. */
const pipelineLayers = [['copy', 'dump', 'scan', 'subject'], ['post-data', 'run', 'swap'], ['checks']];

/** Sideways imports that are part of the design: a data-subject request builds on scan and subset. */
const sideways = [
  ['subject', 'scan'],
  ['subject', 'subset'],
];

const room = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);
const any = (names) => names.map(room).join('|');

const forbidden = [
  {
    name: 'no-cycles',
    severity: 'error',
    comment: 'Modules that import each other, directly or around a loop: move the shared piece down.',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'db-only-knows-pg',
    severity: 'error',
    comment: 'Only src/db/ talks to pg and pg-copy-streams.',
    from: { path: '^src/', pathNot: '^src/db/' },
    to: { path: '^node_modules/(pg|pg-copy-streams|pg-protocol|pg-pool)/' },
  },
  {
    name: 'only-random-knows-faker',
    severity: 'error',
    comment: 'faker is imported in src/random/ only (a keyed Randomizer, never the global instance).',
    from: { path: '^src/', pathNot: '^src/random/' },
    to: { path: '^node_modules/@faker-js/' },
  },
];

layers.forEach((layer, i) => {
  const above = layers.slice(0, i).flatMap((l) => l.rooms);
  if (above.length) {
    forbidden.push({
      name: `no-upward-from-${layer.name.replaceAll(' ', '-')}`,
      severity: 'error',
      comment: `${layer.name} imports only from its own layer's rooms and those below (${layers
        .slice(i + 1)
        .map((l) => l.name)
        .join(', ')}).`,
      from: { path: any(layer.rooms) },
      to: { path: any(above) },
    });
  }
  for (const from of layer.rooms) {
    const others = layer.rooms.filter((to) => to !== from && !sideways.some(([a, b]) => a === from && b === to));
    if (others.length) {
      forbidden.push({
        name: `no-sideways-from-${from.replace('.ts', '')}`,
        severity: 'error',
        comment: `${from} does not import from the other rooms of its layer (${others.join(', ')}): a piece both need goes down a layer.`,
        from: { path: room(from) },
        to: { path: any(others) },
      });
    }
  }
});

pipelineLayers.forEach((level, i) => {
  const above = pipelineLayers.slice(0, i).flat();
  for (const from of level) {
    const banned = [...above, ...level.filter((r) => r !== from)].map((r) => `pipeline/${r}`);
    forbidden.push({
      name: `pipeline-${from}-imports-down`,
      severity: 'error',
      comment: `pipeline/${from} imports from pipeline rooms below it only (${
        pipelineLayers
          .slice(i + 1)
          .flat()
          .join(', ') || 'none'
      }).`,
      from: { path: room(`pipeline/${from}`) },
      to: { path: any(banned) },
    });
  }
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
