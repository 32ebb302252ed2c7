/** Stands in a message for the environments whose config it concerns; checkAppContract fills it in once per problem. */
export const ENVIRONMENTS = '\u0000environments\u0000';
