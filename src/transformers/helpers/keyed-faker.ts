import { createKeyedFaker, type KeyedFaker } from '../../random/faker.js';
import type { TransformerContext } from '../transformer.js';

/** The run's one keyed Faker (locales sv, en), shared by every transformer that needs faker's patterns. */
export function keyedFaker(context: TransformerContext): KeyedFaker {
  return context.resource('faker', createKeyedFaker);
}
