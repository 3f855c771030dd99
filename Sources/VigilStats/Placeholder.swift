// VigilStats
