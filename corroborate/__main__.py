from corroborate.cli import main

main()
